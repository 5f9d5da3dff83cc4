import { imageTagFromContext } from '../../lib/image-tag';

describe('imageTag context', () => {
  test('bootstraps with zero tasks when no tag is given', () => {
    expect(imageTagFromContext(undefined)).toEqual({ tag: 'bootstrap', bootstrap: true });
  });

  test('accepts a commit SHA or a release version', () => {
    expect(imageTagFromContext('3f2a9c1e')).toEqual({ tag: '3f2a9c1e', bootstrap: false });
    expect(imageTagFromContext('v1.4.2_rc-1')).toEqual({ tag: 'v1.4.2_rc-1', bootstrap: false });
  });

  test.each(['latest', 'bootstrap', 'has space', '-leading-dash', 'a'.repeat(129), 42])(
    'fails when the tag is %p',
    (tag) => {
      expect(() => imageTagFromContext(tag)).toThrow(
        `imageTag: ${JSON.stringify(tag)} is not a deployable image tag; allowed: a Docker tag`,
      );
    },
  );
});
