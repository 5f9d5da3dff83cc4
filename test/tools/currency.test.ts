import { Annotations, Stack } from 'aws-cdk-lib';
import { Pin } from '../../lib/pins';
import { currencyReport, currencyWarnings, needsAction, pinsDue } from '../../tools/currency';
import { newTestApp, synthesizedApp } from '../helpers/test-app';

function pin(reviewBy: string, referenceDesignOnly = false): Pin {
  return {
    value: `image:${reviewBy}`,
    kind: 'container image',
    source: 'https://example.com/releases',
    checked: '2026-12-01',
    reviewBy,
    reviewReason: 'review',
    referenceDesignOnly,
  };
}

const PINS_FIXTURE = {
  pastDue: pin('2026-11-30'),
  dueToday: pin('2026-12-01'),
  dueSoon: pin('2026-12-31'),
  later: pin('2027-01-01'),
  reference: pin('2026-09-30', true),
};

describe('the currency check', () => {
  describe('pins due', () => {
    const due = pinsDue(PINS_FIXTURE, '2026-12-01', 30);

    test('lists the pins past their review date', () => {
      expect(due.past.map((p) => p.name)).toEqual(['pastDue']);
    });

    test('lists the pins due within the window, today included', () => {
      expect(due.upcoming.map((p) => p.name)).toEqual(['dueToday', 'dueSoon']);
    });

    test('reports reference-design pins apart, never as due', () => {
      expect(due.referenceDesign.map((p) => p.name)).toEqual(['reference']);
      expect(
        needsAction(pinsDue({ reference: PINS_FIXTURE.reference }, '2026-12-01', 30), []),
      ).toBe(false);
    });
  });

  describe('the report', () => {
    test('tables what is due with value, review date, reason and source', () => {
      const report = currencyReport({
        today: '2026-12-01',
        withinDays: 30,
        due: pinsDue(PINS_FIXTURE, '2026-12-01', 30),
        warnings: [{ path: 'Dev/Services1', message: 'The API x is deprecated: use y' }],
      });
      expect(report).toContain('## Past their review date');
      expect(report).toContain(
        '| pastDue | `image:2026-11-30` | 2026-11-30 | review | https://example.com/releases |',
      );
      expect(report).toContain('## Due within 30 days');
      expect(report).toContain('- `Dev/Services1`: The API x is deprecated: use y');
    });

    test('says so when nothing is due', () => {
      const report = currencyReport({
        today: '2026-12-01',
        withinDays: 30,
        due: pinsDue({ later: PINS_FIXTURE.later }, '2026-12-01', 30),
        warnings: [],
      });
      expect(report).toContain('Nothing is due');
      expect(report).not.toContain('##');
    });
  });

  describe('synth warnings (aws:cdk:warning metadata)', () => {
    test('catches a deprecation and an end of support, not other warnings (the check is not vacuous)', () => {
      const app = newTestApp();
      const stack = new Stack(app, 'Fixture');
      Annotations.of(stack).addDeprecation('aws-cdk-lib.Fixture#old', 'use new');
      Annotations.of(stack).addWarningV2(
        'fixture:eos',
        'Service X reaches end of support on 2027-01-01',
      );
      Annotations.of(stack).addWarningV2('fixture:other', 'Unrelated advice');
      expect(currencyWarnings(app.synth()).map((w) => w.message)).toEqual([
        expect.stringContaining('The API aws-cdk-lib.Fixture#old is deprecated: use new'),
        expect.stringContaining('end of support on 2027-01-01'),
      ]);
    });

    test('a synth of every environment and the OIDC stacks prints no deprecation or end-of-support warning', () => {
      expect(currencyWarnings(synthesizedApp().assembly)).toEqual([]);
    });
  });
});
