/**
 * Cognito's quota categories and their documented default rates
 * ("Quotas in Amazon Cognito": https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
 */
import type { Category, Operation } from './types';

/** Documented default requests/s per category, per account and Region. */
export const DEFAULT_QUOTAS: Readonly<Record<Category, number>> = {
  UserList: 30,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserPoolRead: 15,
  // GetProvisionedLimit / UpdateProvisionedLimit: 1 request/s per account and Region.
  LimitManagement: 1,
};

/**
 * The categories an account can raise with provisioned limits (UpdateProvisionedLimit), of those
 * the simulator enforces: UserList, UserResourceUpdate and UserPoolRead are not adjustable.
 */
export const ADJUSTABLE_CATEGORIES: readonly Category[] = ['UserResourceRead'];

/** The quota category each operation draws on. */
export const CATEGORY_OF: Readonly<Record<Operation, Category>> = {
  ListUsers: 'UserList',
  AdminListDevices: 'UserResourceRead',
  AdminGetDevice: 'UserResourceRead',
  AdminForgetDevice: 'UserResourceUpdate',
  AdminUpdateDeviceStatus: 'UserResourceUpdate',
  DescribeUserPool: 'UserPoolRead',
  ListUserPools: 'UserPoolRead',
  GetProvisionedLimit: 'LimitManagement',
};

export const OPERATIONS = Object.keys(CATEGORY_OF) as Operation[];

/** Cognito's per-user limits: requests/s per user for reads and for writes, whatever the account quotas. */
export const PER_USER_PER_SECOND = 10;

/** Operations limited per user (those naming a Username), and the per-user bucket they draw on. */
export const PER_USER_KIND: Readonly<Partial<Record<Operation, 'read' | 'write'>>> = {
  AdminListDevices: 'read',
  AdminGetDevice: 'read',
  AdminForgetDevice: 'write',
  AdminUpdateDeviceStatus: 'write',
};
