import { randomUUID } from 'node:crypto';
import { preSignUpEvent, useTriggerDatabase } from '../../helpers/trigger-container';

describe('pre sign-up trigger (real PostgreSQL)', () => {
  const context = useTriggerDatabase();
  const { companyId } = context;

  test('accepts a normalised login ID of an existing company and returns the event', async () => {
    const event = preSignUpEvent('taro.yamada', companyId);
    await expect(context.lambda.preSignUp(event)).resolves.toBe(event);
  });

  test.each([
    ['trailing spaces', 'taro '],
    ['upper case', 'Taro'],
    ['full-width characters', 'ｔａｒｏ'],
  ])('fails when the login ID has %s, giving the form to use', async (_case, userName) => {
    await expect(context.lambda.preSignUp(preSignUpEvent(userName, companyId))).rejects.toThrow(
      `Login ID "${userName}" must be entered as "taro" (no surrounding spaces, half-width, lowercase).`,
    );
  });

  test('fails when the login ID has disallowed characters, naming them', async () => {
    await expect(
      context.lambda.preSignUp(preSignUpEvent('taro/yamada', companyId)),
    ).rejects.toThrow('Login ID "taro/yamada" contains "/"');
  });

  test('fails when the company does not exist', async () => {
    const unknown = randomUUID();
    await expect(context.lambda.preSignUp(preSignUpEvent('taro', unknown))).rejects.toThrow(
      `Company ${unknown} does not exist; check the company ID with your administrator.`,
    );
  });

  test('fails when the company ID is not a UUID', async () => {
    await expect(context.lambda.preSignUp(preSignUpEvent('taro', 'acme'))).rejects.toThrow(
      'malformed trigger event: custom:company_id "acme" is not a company ID (a UUID)',
    );
  });

  test('fails when the event is malformed', async () => {
    await expect(context.lambda.preSignUp({} as never)).rejects.toThrow(
      'malformed trigger event: userName or request.userAttributes is missing',
    );
  });
});
