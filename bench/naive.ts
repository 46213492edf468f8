/**
 * The contestant the engine is measured against: a sweep as typical hand-written cleanup Lambdas
 * do it. One awaited call at a time: ListUsers, then AdminListDevices for each user, then
 * AdminForgetDevice for each stale device, with the SDK's default retries and no rate control.
 */
import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
// The same staleness rule as the engine, so both contestants forget the same devices.
import { isStale } from '../src/sweep';

/** What the naive loop counted. */
export interface NaiveResult {
  readonly usersScanned: number;
  readonly devicesScanned: number;
  readonly devicesStale: number;
  readonly devicesForgotten: number;
  /** Calls that failed even after the SDK's retries; the loop logs and moves on, as such Lambdas do. */
  readonly errors: number;
  readonly calls: number;
}

/** Sweeps one pool the naive way. */
export async function naiveSweep(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  staleAfterSeconds: number,
  now: Date,
): Promise<NaiveResult> {
  let usersScanned = 0;
  let devicesScanned = 0;
  let devicesStale = 0;
  let devicesForgotten = 0;
  let errors = 0;
  let calls = 0;
  let usersToken: string | undefined;
  do {
    calls++;
    const page = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: usersToken }));
    usersToken = page.PaginationToken;
    for (const user of page.Users ?? []) {
      usersScanned++;
      let devicesToken: string | undefined;
      do {
        calls++;
        let devices;
        try {
          devices = await client.send(
            new AdminListDevicesCommand({ UserPoolId: userPoolId, Username: user.Username, Limit: 60, PaginationToken: devicesToken }),
          );
        } catch (error) {
          errors++;
          break;
        }
        devicesToken = devices.PaginationToken;
        for (const device of devices.Devices ?? []) {
          devicesScanned++;
          if (isStale(device, staleAfterSeconds, now.getTime()) !== true) {
            continue;
          }
          devicesStale++;
          calls++;
          try {
            await client.send(new AdminForgetDeviceCommand({ UserPoolId: userPoolId, Username: user.Username, DeviceKey: device.DeviceKey }));
            devicesForgotten++;
          } catch (error) {
            errors++;
          }
        }
      } while (devicesToken);
    }
  } while (usersToken);
  return { usersScanned, devicesScanned, devicesStale, devicesForgotten, errors, calls };
}
