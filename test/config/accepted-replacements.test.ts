import { loadAcceptedReplacements } from '../../config';
import { acceptedReplacements } from '../../config/accepted-replacements';
import {
  developmentConfig,
  problemsOfCall,
  productionConfig,
  validated,
} from '../helpers/config-builder';
import { shippedEnvironments } from '../helpers/test-app';

const environments = validated(developmentConfig(), productionConfig());
const TODAY = new Date('2026-12-01T09:00:00Z');
const entry = {
  environment: 'prod',
  path: 'Prod/Identity/ProductPool/UserPool',
  reason: 'Sign-in by email only: users were exported and are imported into the new pool',
  until: '2026-12-15',
};

const problemsOf = (entries: unknown) =>
  problemsOfCall(() => loadAcceptedReplacements(environments, entries, TODAY));

describe('accepted replacements (config/accepted-replacements.ts)', () => {
  test('accepts the shipped list', () => {
    expect(loadAcceptedReplacements(shippedEnvironments, acceptedReplacements)).toEqual(
      acceptedReplacements,
    );
  });

  test('accepts an entry of a configured environment until the end of its day', () => {
    expect(loadAcceptedReplacements(environments, [entry], TODAY)).toEqual([entry]);
    const lastDay = new Date('2026-12-15T23:59:59Z');
    expect(loadAcceptedReplacements(environments, [entry], lastDay)).toEqual([entry]);
  });

  test.each<[string, object, string[]]>([
    [
      'the environment is not configured',
      { ...entry, environment: 'qa' },
      [
        'acceptedReplacements.0.environment: "qa" is not a configured environment; allowed: dev, prod',
      ],
    ],
    [
      'the path is of another environment',
      { ...entry, path: 'Dev/Identity/ProductPool/UserPool' },
      [
        'acceptedReplacements.0.path: "Dev/Identity/ProductPool/UserPool" is not a path of environment prod; ' +
          'allowed: a path of its stage, "Prod/<Stack>/..."',
      ],
    ],
    [
      'its date has passed',
      { ...entry, until: '2026-11-30' },
      [
        'acceptedReplacements.0.until: "2026-11-30" has passed (today is 2026-12-01); remove the entry once its ' +
          'change is deployed, or set a new date if the change is still to come',
      ],
    ],
    [
      'the date is not a date',
      { ...entry, until: '15.12.2026' },
      ['acceptedReplacements.0.until: "15.12.2026" is not a date; allowed: YYYY-MM-DD'],
    ],
    [
      'the path is not a construct path of the report',
      { ...entry, path: 'ProductPool' },
      [
        'acceptedReplacements.0.path: "ProductPool" is not a construct path as the replacement report prints it ' +
          '(<Stage>/<Stack>/<path in the stack>)',
      ],
    ],
    [
      'the reason says nothing',
      { ...entry, reason: 'needed' },
      [
        'acceptedReplacements.0.reason: "needed" is too short; explain why in at least 20 characters',
      ],
    ],
    [
      'a setting is unknown',
      { ...entry, approvedBy: 'me' },
      [
        'acceptedReplacements.0.approvedBy: is not a known setting (check the spelling in config/accepted-replacement-schema.ts)',
      ],
    ],
  ])('fails when %s', (_what, bad, expected) => {
    expect(problemsOf([bad])).toEqual(expected);
  });

  test('fails when a resource is accepted twice', () => {
    expect(problemsOf([entry, { ...entry, reason: `${entry.reason}, again` }])).toEqual([
      'acceptedReplacements.1: prod Prod/Identity/ProductPool/UserPool is accepted twice; one entry per resource',
    ]);
  });
});
