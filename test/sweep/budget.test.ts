import { parseUserPoolId, resolveRates, SweepInputError } from '../../src/sweep';

describe('resolveRates', () => {
  test('defaults to half of the documented quotas', () => {
    expect(resolveRates()).toEqual({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 });
  });

  test('applies the fraction to base quotas, and explicit rates win', () => {
    expect(resolveRates({ fraction: 0.2, baseQuotas: { UserResourceRead: 500 }, ratesPerSecond: { UserResourceUpdate: 3 } }))
      .toEqual({ UserList: 6, UserResourceRead: 100, UserResourceUpdate: 3 });
  });

  test.each([
    [{ fraction: 0 }, /^rateBudget.fraction is 0; use a fraction in \(0, 1\]/],
    [{ fraction: 1.5 }, /^rateBudget.fraction is 1.5; use a fraction in \(0, 1\]/],
    [{ baseQuotas: { UserResourceRead: -1 } }, /^rateBudget.baseQuotas.UserResourceRead is -1; use a positive number of requests per second/],
    [{ ratesPerSecond: { UserList: Number.NaN } }, /^rateBudget.ratesPerSecond.UserList is NaN; use a positive number/],
    [{ ratesPerSecond: { AdminGetUser: 3 } as never }, /unknown quota category "AdminGetUser"/],
  ])('rejects %j', (budget, message) => {
    expect(() => resolveRates(budget)).toThrow(SweepInputError);
    expect(() => resolveRates(budget)).toThrow(message);
  });
});

describe('parseUserPoolId', () => {
  test('takes the Region from the id', () => {
    expect(parseUserPoolId('eu-west-1_AbC123')).toEqual({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123' });
    expect(parseUserPoolId('us-gov-west-1_x9')).toEqual({ region: 'us-gov-west-1', userPoolId: 'us-gov-west-1_x9' });
  });

  test.each(['AbC123', 'eu-west-1_', 'eu-west-1_Ab-C', 'EU-WEST-1_abc', '', 'eu-west-1_' + 'a'.repeat(60)])('rejects %j', (id) => {
    expect(() => parseUserPoolId(id)).toThrow(SweepInputError);
    expect(() => parseUserPoolId(id)).toThrow(/expected "<region>_<id>"/);
  });
});
