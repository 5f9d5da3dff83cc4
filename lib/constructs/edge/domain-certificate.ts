import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** Where a certificate comes from: imported by ARN, or issued in a hosted zone. */
export type CertificateSource =
  { readonly certificateArn: string } | { readonly hostedZone: route53.IHostedZone };

/** Properties of {@link DomainCertificate}. */
export interface DomainCertificateProps {
  /** The names the certificate covers: the first is its subject, the others alternative names. */
  readonly names: readonly string[];
  /** An existing certificate, or the zone to issue one in. */
  readonly source: CertificateSource;
}

/**
 * The certificate of the platform's domain names in this construct's region:
 * an imported ACM certificate, or one ACM issues with DNS validation in the
 * hosted zone (CloudFormation writes the validation records and waits until
 * it is issued; ACM renews it while the records stay).
 * See https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export class DomainCertificate extends Construct {
  /** The certificate. */
  readonly certificate: acm.ICertificate;

  constructor(scope: Construct, id: string, props: DomainCertificateProps) {
    super(scope, id);
    const [subject, ...alternatives] = props.names;
    if (subject === undefined) {
      throw new Error('DomainCertificate: names is empty; allowed: one or more domain names');
    }
    const { source } = props;
    this.certificate =
      'certificateArn' in source
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', source.certificateArn)
        : new acm.Certificate(this, 'Certificate', {
            domainName: subject,
            subjectAlternativeNames: alternatives.length > 0 ? alternatives : undefined,
            validation: acm.CertificateValidation.fromDns(source.hostedZone),
          });
  }
}

/**
 * The source of a certificate: the imported ARN when there is one, otherwise
 * the hosted zone to issue it in, otherwise none.
 */
export function certificateSourceOf(
  certificateArn: string | undefined,
  hostedZone: route53.IHostedZone | undefined,
): CertificateSource | undefined {
  if (certificateArn !== undefined) {
    return { certificateArn };
  }
  return hostedZone && { hostedZone };
}
