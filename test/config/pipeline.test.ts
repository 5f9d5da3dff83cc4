import { PipelineConfig, pipeline, validatePipeline } from '../../config';
import {
  developmentConfig,
  problemsOfCall,
  productionConfig,
  validated,
} from '../helpers/config-builder';
import { shippedEnvironments } from '../helpers/test-app';

const environments = validated(developmentConfig(), productionConfig());

function problemsOfPipeline(change: (draft: any) => unknown): readonly string[] {
  const draft = structuredClone(pipeline) as any;
  change(draft);
  return problemsOfCall(() => validatePipeline(draft, environments));
}

describe('pipeline configuration', () => {
  test('accepts the shipped settings', () => {
    expect(validatePipeline(pipeline, shippedEnvironments)).toEqual(pipeline);
  });

  test('accepts an existing OIDC provider in a pinned account and in the CLI account', () => {
    const settings: PipelineConfig = {
      ...pipeline,
      existingOidcProviderAccounts: ['333333333333', 'cli-account'],
    };
    expect(() => validatePipeline(settings, environments)).not.toThrow();
  });

  test('accepts the immutable IDs of the owner and the repository, and applies the defaults', () => {
    const settings = {
      github: { ...pipeline.github, immutableIds: { owner: 123456, repository: 456789 } },
    };
    expect(validatePipeline(settings, environments)).toEqual({
      ...settings,
      cdkBootstrapQualifier: 'hnb659fds',
      existingOidcProviderAccounts: [],
    });
  });

  test.each<[description: string, change: (draft: any) => unknown, problems: readonly string[]]>([
    [
      'the GitHub owner is not a user or organisation name',
      (d) => (d.github.owner = '-my org'),
      [
        'pipeline.github.owner: "-my org" is not a GitHub user or organisation; allowed: 1-39 letters, digits and single "-", not at either end',
      ],
    ],
    [
      'the repository name has a slash',
      (d) => (d.github.repository = 'org/repo'),
      [
        'pipeline.github.repository: "org/repo" is not a GitHub repository name; allowed: 1-100 of A-Z a-z 0-9 . _ -',
      ],
    ],
    [
      'the repository name is reserved',
      (d) => (d.github.repository = '..'),
      [
        'pipeline.github.repository: ".." is not a GitHub repository name; "." and ".." are reserved',
      ],
    ],
    [
      'the bootstrap qualifier is not what cdk bootstrap accepts',
      (d) => (d.cdkBootstrapQualifier = 'Custom-Qualifier'),
      [
        'pipeline.cdkBootstrapQualifier: "Custom-Qualifier" is not a bootstrap qualifier; allowed: 1-10 lowercase letters and digits',
      ],
    ],
    [
      'an existing provider names an account no environment uses',
      (d) => (d.existingOidcProviderAccounts = ['444444444444']),
      [
        'pipeline.existingOidcProviderAccounts.0: "444444444444" is not the account of any environment; allowed: cli-account, 333333333333',
      ],
    ],
    [
      'an existing provider account is listed twice',
      (d) => (d.existingOidcProviderAccounts = ['333333333333', '333333333333']),
      ['pipeline.existingOidcProviderAccounts.1: "333333333333" is listed twice'],
    ],
    [
      'an immutable ID is not a whole number of 1 or more',
      (d) => (d.github.immutableIds = { owner: 0, repository: 4.5 }),
      [
        'pipeline.github.immutableIds.owner: 0 is out of range; allowed: 1 or more',
        'pipeline.github.immutableIds.repository: 4.5 is not a whole number; allowed: 1 or more',
      ],
    ],
    [
      'a setting is missing or unknown, and reports every problem at once',
      (d) => {
        delete d.github.owner;
        d.branch = 'main';
      },
      [
        'pipeline.github.owner: is required (a string)',
        'pipeline.branch: is not a known setting (check the spelling in config/pipeline.ts)',
      ],
    ],
  ])('fails when %s', (_, change, expected) => {
    expect(problemsOfPipeline(change)).toEqual(expected);
  });
});
