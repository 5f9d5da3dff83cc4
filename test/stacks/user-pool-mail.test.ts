import { Match, Template } from 'aws-cdk-lib/assertions';
import { addPlatform } from '../../lib/platform-app';
import { changed, developmentConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

/** The mail settings of a test environment. */
const mail = {
  domain: 'mail.example.com',
  fromAddress: 'no-reply@mail.example.com',
  fromName: 'Example',
  replyTo: 'support@example.com',
  mailFromLabel: 'bounce',
  dmarcReportAddress: 'dmarc@example.com',
  poolsSendThroughSes: true,
};

function identityTemplate(change: (draft: any) => void): Template {
  const [stage] = addPlatform(newTestApp(), [validated(changed(developmentConfig(), change))]);
  return Template.fromStack(stage.identity);
}

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  "the user pools' mail in %s",
  (name, config) => {
    const { stage, template } = synthesized(name);
    const identity = template(stage.identity);
    const pools = Object.values(identity.findResources('AWS::Cognito::UserPool'));

    if (config.identity.mail?.poolsSendThroughSes) {
      const configured = config.identity.mail;
      test(`both pools send through SES from ${configured.fromAddress}`, () => {
        expect(pools).toHaveLength(2);
        for (const pool of pools) {
          expect(pool.Properties.EmailConfiguration).toEqual({
            EmailSendingAccount: 'DEVELOPER',
            From: `${configured.fromName} <${configured.fromAddress}>`,
            ReplyToEmailAddress: configured.replyTo,
            SourceArn: expect.anything(),
            ConfigurationSet: { Ref: expect.stringMatching(/^MailConfigurationSet/) },
          });
        }
      });
    } else {
      test("both pools use Cognito's default sender (no EmailConfiguration: COGNITO_DEFAULT)", () => {
        for (const pool of pools) {
          expect(pool.Properties.EmailConfiguration).toBeUndefined();
        }
      });
    }

    test(`has ${config.identity.mail ? 'one SES identity' : 'no SES identity'}`, () => {
      identity.resourceCountIs('AWS::SES::EmailIdentity', config.identity.mail ? 1 : 0);
    });
  },
);

describe('an environment that configures a mail domain', () => {
  const template = identityTemplate((d) => (d.identity.mail = mail));

  test('verifies the domain with 2048-bit Easy DKIM and a custom MAIL FROM domain', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'mail.example.com',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'bounce.mail.example.com' },
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') },
      },
    });
  });

  test('requires TLS, keeps reputation metrics and suppresses bounces and complaints', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  test('sends both pools through the identity (DEVELOPER) from the configured sender', () => {
    const pools = Object.values(template.findResources('AWS::Cognito::UserPool'));
    expect(pools).toHaveLength(2);
    for (const pool of pools) {
      expect(pool.Properties.EmailConfiguration).toMatchObject({
        EmailSendingAccount: 'DEVELOPER',
        From: 'Example <no-reply@mail.example.com>',
        ReplyToEmailAddress: 'support@example.com',
      });
      expect(JSON.stringify(pool.Properties.EmailConfiguration.SourceArn)).toContain(
        ':identity/mail.example.com',
      );
    }
  });

  test('prints the DKIM, MAIL FROM and DMARC records for a DNS owner, and writes none', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const values = Object.entries(outputs)
      .filter(([id]) => id.startsWith('Mail'))
      .map(([, output]) => JSON.stringify(output.Value));
    expect(values).toHaveLength(6);
    expect(values).toEqual(
      expect.arrayContaining([
        expect.stringContaining('bounce.mail.example.com MX 10 feedback-smtp.'),
        expect.stringContaining(
          'bounce.mail.example.com TXT \\"v=spf1 include:amazonses.com ~all\\"',
        ),
        expect.stringContaining(
          '_dmarc.mail.example.com TXT \\"v=DMARC1; p=none; rua=mailto:dmarc@example.com\\"',
        ),
      ]),
    );
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});

describe('an environment whose platform owns the mail zone', () => {
  const template = identityTemplate(
    (d) =>
      (d.identity.mail = {
        ...mail,
        hostedZone: { zoneName: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      }),
  );

  test('writes the three DKIM CNAMEs and the MAIL FROM MX and SPF records in the zone', () => {
    template.resourcePropertiesCountIs(
      'AWS::Route53::RecordSet',
      { Type: 'CNAME', HostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      3,
    );
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'MX',
      Name: 'bounce.mail.example.com.',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'TXT',
      Name: 'bounce.mail.example.com.',
      ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'],
    });
  });

  test('still only recommends the DMARC record', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {}).filter((id) =>
      id.startsWith('Mail'),
    );
    expect(outputs).toEqual([expect.stringMatching(/^MailDmarcRecord/)]);
  });
});

describe('an environment whose mail domain is not verified yet', () => {
  const template = identityTemplate(
    (d) => (d.identity.mail = { ...mail, poolsSendThroughSes: false }),
  );

  test("creates the identity but keeps Cognito's default sender", () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    for (const pool of Object.values(template.findResources('AWS::Cognito::UserPool'))) {
      expect(pool.Properties.EmailConfiguration).toBeUndefined();
    }
  });
});
