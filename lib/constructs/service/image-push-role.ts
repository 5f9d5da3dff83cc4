import { Arn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubRepository } from '../../../config';
import { branchSubject, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../pipeline/github-oidc';

/** Properties of {@link ImagePushRole}. */
export interface ImagePushRoleProps {
  /** The service's image repository: the only one the role may push to. */
  readonly repository: ecr.IRepository;
  /** The service's GitHub repository: the only one whose workflows (on `main`) may assume the role. */
  readonly github: GitHubRepository;
  /** The service's name, for the role's description. */
  readonly serviceName: string;
}

/**
 * The role a service's own GitHub repository assumes (OIDC, no AWS keys) to
 * publish the service's image with `.github/workflows/publish-service.yml`:
 * trusted only for jobs of that repository's `main` branch, it may push to
 * and pull from the service's ECR repository and read the images' scan
 * findings there, nothing else. What runs is still decided by the release
 * manifests, by pull request.
 *
 * It lives beside the repository (the services stack) rather than in the
 * GitHub OIDC stack: the grant names the repository's generated ARN, the
 * role comes and goes with its service, and a new service needs no
 * administrator deployment. The account's OIDC provider (GitHub OIDC stack)
 * is referenced by its fixed ARN.
 */
export class ImagePushRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ImagePushRoleProps) {
    super(scope, id);
    const provider = Arn.format(
      { service: 'iam', region: '', resource: 'oidc-provider', resourceName: GITHUB_OIDC_HOST },
      Stack.of(this),
    );
    const { owner, repository } = props.github;
    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions of ${owner}/${repository} (main) publish the image of service ${props.serviceName}`,
      assumedBy: new iam.WebIdentityPrincipal(provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: branchSubject(props.github),
        },
      }),
    });
    // Pull as well as push: Buildx checks the layers that exist, and the
    // workflow reads the image index to wait for each platform's scan.
    props.repository.grantPullPush(this.role);
    props.repository.grant(this.role, 'ecr:DescribeImages', 'ecr:DescribeImageScanFindings');
  }
}
