import { LoginIdError, normaliseLoginId, validLoginId } from '../../../lambda/shared/login-id';

describe('login ID normalisation', () => {
  test.each([
    ['surrounding spaces', '  taro.yamada  ', 'taro.yamada'],
    ['a trailing full-width space', 'taro\u3000', 'taro'],
    ['upper case', 'Taro.Yamada', 'taro.yamada'],
    ['full-width letters and digits', 'ＴＡＲＯ１２３', 'taro123'],
    ['a full-width at sign', 'taro＠example.com', 'taro@example.com'],
    ['an email address with a tag', 'Taro+Test@Example.com', 'taro+test@example.com'],
    ['an already normalised ID', 'taro_01', 'taro_01'],
  ])('normalises %s', (_case, raw, expected) => {
    expect(normaliseLoginId(raw)).toBe(expected);
    expect(validLoginId(raw)).toBe(expected);
  });

  test('is idempotent', () => {
    const once = normaliseLoginId(' Ｔａｒｏ ');
    expect(normaliseLoginId(once)).toBe(once);
  });

  test('fails when the ID contains a space inside, naming the character and what is allowed', () => {
    expect(() => validLoginId('taro yamada')).toThrow(
      new LoginIdError(
        'Login ID "taro yamada" contains space; use 3-128 characters: letters a-z, digits 0-9 and . _ - + @, starting with a letter or digit.',
      ),
    );
  });

  test('fails when the ID contains Japanese characters, naming them', () => {
    expect(() => validLoginId('たろう')).toThrow(/contains "た", "ろ", "う"; use 3-128 characters/);
  });

  test('fails when the ID is too short', () => {
    expect(() => validLoginId('ab')).toThrow(
      'Login ID "ab" has 2 characters or starts with a symbol; use 3-128 characters',
    );
  });

  test('fails when the ID starts with a symbol', () => {
    expect(() => validLoginId('.taro')).toThrow(/starts with a symbol/);
  });
});
