/**
 * Cognito's request-rate quota categories the engine draws on: ListUsers is in UserList,
 * AdminListDevices in UserResourceRead, AdminForgetDevice in UserResourceUpdate. See "Quotas in
 * Amazon Cognito": https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 */
export type QuotaCategory = 'UserList' | 'UserResourceRead' | 'UserResourceUpdate';
