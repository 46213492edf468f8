import { Duration, Token } from 'aws-cdk-lib';
import { PurgeSelection } from '../../src/purge/purge-selection';

describe('PurgeSelection', () => {
  test('staleDevices carries the age in seconds', () => {
    expect(PurgeSelection.staleDevices(Duration.days(30))._toSweepSelection())
      .toEqual({ kind: 'stale', staleAfterSeconds: 30 * 86_400 });
  });

  test('staleDevices accepts exactly one day and refuses less', () => {
    expect(PurgeSelection.staleDevices(Duration.days(1))._toSweepSelection()).toEqual({ kind: 'stale', staleAfterSeconds: 86_400 });
    expect(() => PurgeSelection.staleDevices(Duration.hours(23))).toThrow(/staleAfter is 82800 seconds; use at least one day \(86400 seconds/);
  });

  test('staleDevices leaves a token age to deploy time', () => {
    const selection = PurgeSelection.staleDevices(Duration.seconds(Token.asNumber({ Ref: 'StaleAfterSeconds' })));
    expect(selection._toSweepSelection()).toMatchObject({ kind: 'stale' });
  });

  test('staleDevices takes a trust lifetime too; devicesOlderThan is the lifetime alone', () => {
    expect(PurgeSelection.staleDevices(Duration.days(30), { maxDeviceAge: Duration.days(90) })._toSweepSelection())
      .toEqual({ kind: 'stale', staleAfterSeconds: 30 * 86_400, maxDeviceAgeSeconds: 90 * 86_400 });
    expect(PurgeSelection.devicesOlderThan(Duration.days(90))._toSweepSelection()).toEqual({ kind: 'stale', maxDeviceAgeSeconds: 90 * 86_400 });
    expect(() => PurgeSelection.devicesOlderThan(Duration.hours(12))).toThrow(/maxDeviceAge is 43200 seconds; use at least one day/);
    expect(() => PurgeSelection.staleDevices(Duration.days(30), { maxDeviceAge: Duration.hours(1) })).toThrow(/maxDeviceAge is 3600 seconds/);
  });

  test('allDevices', () => {
    expect(PurgeSelection.allDevices()._toSweepSelection()).toEqual({ kind: 'all' });
  });

  test('users copies the list it is given', () => {
    const names = ['alice', 'bob'];
    const selection = PurgeSelection.users(names);
    names.push('mallory');
    expect(selection._toSweepSelection()).toEqual({ kind: 'users', usernames: ['alice', 'bob'] });
  });

  test.each([
    ['an empty list', [], /give at least one username/],
    ['an empty name', ['alice', ' '], /usernames #2 is empty/],
    ['a name listed twice', ['alice', 'alice'], /username "alice" is listed twice/],
    ['a name over 128 characters', ['x'.repeat(129)], /usernames #1 has 129 characters; Cognito usernames have at most 128/],
    ['101 names', Array.from({ length: PurgeSelection.MAX_USERNAMES + 1 }, (_, i) => `user${i}`), /usernames has 101 names; at most 100 fit in one sweep configuration/],
  ])('users refuses %s', (_label, names, message) => {
    expect(() => PurgeSelection.users(names as string[])).toThrow(message);
  });

  test('users accepts the maximum count', () => {
    const names = Array.from({ length: PurgeSelection.MAX_USERNAMES }, (_, i) => `user${i}`);
    expect(PurgeSelection.users(names)._toSweepSelection()).toEqual({ kind: 'users', usernames: names });
  });

  test('users refuses a list token, which cannot be checked at synth time', () => {
    expect(() => PurgeSelection.users(Token.asList({ Ref: 'Names' }))).toThrow(/literal list, not a token/);
  });
});
