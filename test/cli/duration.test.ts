import { parseDuration } from '../../src/cli/duration';

describe('parseDuration', () => {
  test.each([
    ['90d', 90 * 86_400],
    ['12h', 12 * 3_600],
    ['30m', 30 * 60],
    ['45s', 45],
    ['1d', 86_400],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(['0d', '0s', '000h'])('%s is rejected as not greater than zero', (text) => {
    expect(() => parseDuration(text)).toThrow(/greater than zero/);
  });

  test.each(['', '90', 'd', '1.5d', '-1d', '90 days', '1d12h', '90D', '1w', 'ninety d'])('%j is not a duration', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration: use a whole number and one unit/);
  });

  test('a value whose seconds overflow is rejected', () => {
    expect(() => parseDuration('99999999999999999d')).toThrow(/too large/);
  });
});
