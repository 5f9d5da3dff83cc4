import { ConfigValidationError } from '../../config';
import { runEntryPoint } from '../../lib/entry-point';

describe('runEntryPoint', () => {
  let written: string[];

  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  test('runs main and leaves the exit code alone when it succeeds', () => {
    const main = jest.fn();

    runEntryPoint(main);

    expect(main).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBeUndefined();
    expect(written).toEqual([]);
  });

  test('fails when the input is invalid: prints the message alone and sets exit code 1', () => {
    runEntryPoint(() => {
      throw new ConfigValidationError(['imageTag: "latest" is not a deployable image tag']);
    });

    expect(written).toEqual([
      'Invalid environment configuration (1 problem):\n  - imageTag: "latest" is not a deployable image tag\n',
    ]);
    expect(process.exitCode).toBe(1);
  });

  test('treats any subclass of ConfigValidationError as invalid input', () => {
    class RefusedModeError extends ConfigValidationError {}

    runEntryPoint(() => {
      throw new RefusedModeError([
        'dev.application.mesh: refused',
        'stg.application.mesh: refused',
      ]);
    });

    expect(written.join('')).toMatch(/^Invalid environment configuration \(2 problems\):\n/);
    expect(process.exitCode).toBe(1);
  });

  test('rethrows any other error, so Node prints its stack', () => {
    const defect = new TypeError('cannot read properties of undefined');

    expect(() =>
      runEntryPoint(() => {
        throw defect;
      }),
    ).toThrow(defect);
    expect(written).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });
});
