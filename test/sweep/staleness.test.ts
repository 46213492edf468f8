import type { DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import { isStale, lastUseOf } from '../../src/sweep';
import { decideDevice } from '../../src/sweep/input/staleness';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const daysAgo = (days: number): Date => new Date(NOW - days * DAY);

function device(fields: Partial<DeviceType> & { remembered?: string } = {}): DeviceType {
  const { remembered, ...rest } = fields;
  return {
    DeviceKey: 'eu-west-1_11111111-2222-3333-4444-555555555555',
    DeviceAttributes: remembered === undefined ? [] : [{ Name: 'dev:device_remembered_status', Value: remembered }],
    ...rest,
  };
}

describe('lastUseOf', () => {
  test('prefers DeviceLastAuthenticatedDate, then DeviceLastModifiedDate, then DeviceCreateDate', () => {
    expect(lastUseOf(device({ DeviceLastAuthenticatedDate: daysAgo(1), DeviceLastModifiedDate: daysAgo(2), DeviceCreateDate: daysAgo(3) })))
      .toBe(NOW - DAY);
    expect(lastUseOf(device({ DeviceLastModifiedDate: daysAgo(2), DeviceCreateDate: daysAgo(3) }))).toBe(NOW - 2 * DAY);
    expect(lastUseOf(device({ DeviceCreateDate: daysAgo(3) }))).toBe(NOW - 3 * DAY);
    expect(lastUseOf(device())).toBeUndefined();
  });

  test('an old authentication wins over a recent modification (the order is fixed, not the newest date)', () => {
    expect(lastUseOf(device({ DeviceLastAuthenticatedDate: daysAgo(100), DeviceLastModifiedDate: daysAgo(1) }))).toBe(NOW - 100 * DAY);
  });
});

describe('isStale', () => {
  const ninetyDays = 90 * 86_400;

  test('stale only when strictly older than staleAfter', () => {
    expect(isStale(device({ DeviceLastAuthenticatedDate: daysAgo(91) }), ninetyDays, NOW)).toBe(true);
    expect(isStale(device({ DeviceLastAuthenticatedDate: daysAgo(90) }), ninetyDays, NOW)).toBe(false);
    expect(isStale(device({ DeviceLastAuthenticatedDate: new Date(NOW - 90 * DAY - 1) }), ninetyDays, NOW)).toBe(true);
    expect(isStale(device({ DeviceLastAuthenticatedDate: daysAgo(10) }), ninetyDays, NOW)).toBe(false);
  });

  test('falls back to the other dates', () => {
    expect(isStale(device({ DeviceLastModifiedDate: daysAgo(120) }), ninetyDays, NOW)).toBe(true);
    expect(isStale(device({ DeviceCreateDate: daysAgo(120) }), ninetyDays, NOW)).toBe(true);
    expect(isStale(device({ DeviceCreateDate: daysAgo(5) }), ninetyDays, NOW)).toBe(false);
  });

  test('undated devices are neither stale nor fresh', () => {
    expect(isStale(device(), ninetyDays, NOW)).toBeUndefined();
  });
});

describe('decideDevice', () => {
  const stale = { kind: 'stale', staleAfterSeconds: 30 * 86_400 } as const;

  test('the staleness rule never picks undated devices; all and users selections do', () => {
    expect(decideDevice(device(), stale, NOW, false)).toEqual({ pick: false, undated: true });
    expect(decideDevice(device(), { kind: 'all' }, NOW, false)).toEqual({ pick: true, undated: true });
    expect(decideDevice(device(), { kind: 'users', usernames: ['a'] }, NOW, false)).toEqual({ pick: true, undated: true });
  });

  test('the trust lifetime picks devices created too long ago, however recently used; either rule picks', () => {
    const lifetime = { kind: 'stale', maxDeviceAgeSeconds: 60 * 86_400 } as const;
    const both = { kind: 'stale', staleAfterSeconds: 30 * 86_400, maxDeviceAgeSeconds: 60 * 86_400 } as const;
    const oldButUsedYesterday = device({ DeviceCreateDate: daysAgo(61), DeviceLastAuthenticatedDate: daysAgo(1) });
    const newButUnused = device({ DeviceCreateDate: daysAgo(40), DeviceLastAuthenticatedDate: daysAgo(40) });
    const youngAndUsed = device({ DeviceCreateDate: daysAgo(60), DeviceLastAuthenticatedDate: daysAgo(1) });
    expect(decideDevice(oldButUsedYesterday, lifetime, NOW, false).pick).toBe(true);
    expect(decideDevice(oldButUsedYesterday, stale, NOW, false).pick).toBe(false);
    expect(decideDevice(newButUnused, lifetime, NOW, false).pick).toBe(false);
    expect(decideDevice(youngAndUsed, lifetime, NOW, false).pick).toBe(false); // strictly older, as for staleness
    expect(decideDevice(oldButUsedYesterday, both, NOW, false).pick).toBe(true);
    expect(decideDevice(newButUnused, both, NOW, false).pick).toBe(true);
    expect(decideDevice(youngAndUsed, both, NOW, false).pick).toBe(false);
  });

  test('the trust lifetime never picks a device without a creation date', () => {
    const lifetime = { kind: 'stale', maxDeviceAgeSeconds: 86_400 } as const;
    expect(decideDevice(device({ DeviceLastAuthenticatedDate: daysAgo(400) }), lifetime, NOW, false)).toEqual({ pick: false, undated: false });
    expect(decideDevice(device(), lifetime, NOW, false)).toEqual({ pick: false, undated: true });
  });

  test('onlyRemembered skips devices that are not remembered or have no status', () => {
    const old = { DeviceLastAuthenticatedDate: daysAgo(60) };
    expect(decideDevice(device({ ...old, remembered: 'remembered' }), stale, NOW, true).pick).toBe(true);
    expect(decideDevice(device({ ...old, remembered: 'not_remembered' }), stale, NOW, true).pick).toBe(false);
    expect(decideDevice(device(old), stale, NOW, true).pick).toBe(false);
    expect(decideDevice(device({ ...old, remembered: 'not_remembered' }), stale, NOW, false).pick).toBe(true);
  });
});
