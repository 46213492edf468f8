/** Cognito's quota categories and their documented default rates (cognito-facts.md). */
import type { Category, Operation } from './types';

/** Documented default requests/s per category, per account and Region. */
export const DEFAULT_QUOTAS: Readonly<Record<Category, number>> = {
  UserList: 30,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserPoolRead: 15,
};

/** The quota category each operation draws on. */
export const CATEGORY_OF: Readonly<Record<Operation, Category>> = {
  ListUsers: 'UserList',
  AdminListDevices: 'UserResourceRead',
  AdminGetDevice: 'UserResourceRead',
  AdminForgetDevice: 'UserResourceUpdate',
  AdminUpdateDeviceStatus: 'UserResourceUpdate',
  DescribeUserPool: 'UserPoolRead',
  ListUserPools: 'UserPoolRead',
};

export const OPERATIONS = Object.keys(CATEGORY_OF) as Operation[];
