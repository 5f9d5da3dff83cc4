import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { MailConfig } from '../../../config';

/** Properties of {@link MailIdentity}. */
export interface MailIdentityProps {
  /** Domain, sender, MAIL FROM label, DMARC report address and the hosted zone, if owned. */
  readonly mail: MailConfig;
}

/**
 * The user pools' Amazon SES identity: the mail domain signed with Easy DKIM
 * (2048-bit keys SES rotates), a custom MAIL FROM subdomain so SPF aligns,
 * and a configuration set that requires TLS to the recipient's server,
 * keeps reputation metrics and suppresses addresses that bounced or
 * complained. With the platform's hosted zone it writes the DKIM CNAMEs and
 * the MAIL FROM MX and SPF records; otherwise it prints them for the DNS
 * owner. It always prints the recommended DMARC record, which the domain's
 * owner publishes (a DMARC policy is a decision about every sender of the
 * domain): `p=none` with aggregate reports, which monitors without changing
 * delivery, to be raised to `quarantine` once the reports show only aligned
 * senders (RFC 7489, section 6.3).
 * See https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html,
 * https://docs.aws.amazon.com/ses/latest/dg/mail-from.html,
 * https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dmarc.html
 * and https://datatracker.ietf.org/doc/html/rfc7489#section-6.3
 */
export class MailIdentity extends Construct {
  /** The SES domain identity. */
  readonly identity: ses.EmailIdentity;
  /** The configuration set every message of the pools uses. */
  readonly configurationSet: ses.ConfigurationSet;
  /**
   * How the user pools send through this identity (Cognito's `DEVELOPER`
   * sending account), once `poolsSendThroughSes` says the domain is verified.
   */
  readonly poolEmail?: cognito.UserPoolEmail;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    const { mail } = props;
    const mailFromDomain = `${mail.mailFromLabel}.${mail.domain}`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const zone = mail.hostedZone
      ? route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: mail.hostedZone.hostedZoneId,
          zoneName: mail.hostedZone.zoneName,
        })
      : undefined;
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: zone ? ses.Identity.publicHostedZone(zone) : ses.Identity.domain(mail.domain),
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      dkimSigning: true,
      mailFromDomain,
      configurationSet: this.configurationSet,
    });

    if (!zone) {
      const { identity } = this;
      [1, 2, 3].forEach((n, index) => {
        const record = identity.dkimRecords[index];
        new CfnOutput(this, `DkimRecord${n}`, {
          description: `Publish in the DNS of ${mail.domain}: Easy DKIM CNAME ${n} of 3`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
      new CfnOutput(this, 'MailFromMxRecord', {
        description: `Publish in the DNS of ${mail.domain}: the MAIL FROM domain's MX record`,
        value: `${mailFromDomain} MX 10 feedback-smtp.${Stack.of(this).region}.amazonses.com`,
      });
      new CfnOutput(this, 'MailFromSpfRecord', {
        description: `Publish in the DNS of ${mail.domain}: the MAIL FROM domain's SPF record`,
        value: `${mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      });
    }
    if (mail.poolsSendThroughSes) {
      this.poolEmail = cognito.UserPoolEmail.withSES({
        fromEmail: mail.fromAddress,
        fromName: mail.fromName,
        replyTo: mail.replyTo,
        sesVerifiedDomain: mail.domain,
        configurationSetName: this.configurationSet.configurationSetName,
      });
    }
    new CfnOutput(this, 'DmarcRecord', {
      description: `Recommended DMARC record of ${mail.domain}, for its DNS owner to publish`,
      value: `_dmarc.${mail.domain} TXT "v=DMARC1; p=none; rua=mailto:${mail.dmarcReportAddress}"`,
    });
  }
}
