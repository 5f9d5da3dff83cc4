import { PipelineConfig, pipeline, validatePipeline } from '../../config';
import {
  developmentConfig,
  problemsOfCall,
  productionConfig,
  validated,
} from '../helpers/config-builder';
import { shippedEnvironments } from '../helpers/test-app';

const environments = validated(developmentConfig(), productionConfig());

function problemsOfPipeline(change: (draft: any) => void): readonly string[] {
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

  test('fails when the GitHub owner is not a user or organisation name', () => {
    expect(problemsOfPipeline((d) => (d.github.owner = '-my org'))).toEqual([
      'pipeline.github.owner: "-my org" is not a GitHub user or organisation; allowed: 1-39 letters, digits and single "-", not at either end',
    ]);
  });

  test('fails when the repository name has a slash or is reserved', () => {
    expect(problemsOfPipeline((d) => (d.github.repository = 'org/repo'))).toEqual([
      'pipeline.github.repository: "org/repo" is not a GitHub repository name; allowed: 1-100 of A-Z a-z 0-9 . _ -',
    ]);
    expect(problemsOfPipeline((d) => (d.github.repository = '..'))).toEqual([
      'pipeline.github.repository: ".." is not a GitHub repository name; "." and ".." are reserved',
    ]);
  });

  test('fails when the bootstrap qualifier is not what cdk bootstrap accepts', () => {
    expect(problemsOfPipeline((d) => (d.cdkBootstrapQualifier = 'Custom-Qualifier'))).toEqual([
      'pipeline.cdkBootstrapQualifier: "Custom-Qualifier" is not a bootstrap qualifier; allowed: 1-10 lowercase letters and digits',
    ]);
  });

  test('fails when an existing provider names an account no environment uses, or twice', () => {
    expect(problemsOfPipeline((d) => (d.existingOidcProviderAccounts = ['444444444444']))).toEqual([
      'pipeline.existingOidcProviderAccounts.0: "444444444444" is not the account of any environment; allowed: cli-account, 333333333333',
    ]);
    expect(
      problemsOfPipeline(
        (d) => (d.existingOidcProviderAccounts = ['333333333333', '333333333333']),
      ),
    ).toEqual(['pipeline.existingOidcProviderAccounts.1: "333333333333" is listed twice']);
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

  test('fails when an immutable ID is not a whole number of 1 or more', () => {
    expect(
      problemsOfPipeline((d) => (d.github.immutableIds = { owner: 0, repository: 4.5 })),
    ).toEqual([
      'pipeline.github.immutableIds.owner: 0 is out of range; allowed: 1 or more',
      'pipeline.github.immutableIds.repository: 4.5 is not a whole number; allowed: 1 or more',
    ]);
  });

  test('fails when a setting is missing or unknown, and reports every problem at once', () => {
    expect(
      problemsOfPipeline((d) => {
        delete d.github.owner;
        d.branch = 'main';
      }),
    ).toEqual([
      'pipeline.github.owner: is required (a string)',
      'pipeline.branch: is not a known setting (check the spelling in config/pipeline.ts)',
    ]);
  });
});
