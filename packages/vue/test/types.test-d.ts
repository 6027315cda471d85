import type { AccessTokenResponse, AuthSnapshot, AuthStatus, User } from '@grantflow/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { ComponentCustomProperties, ComputedRef } from 'vue';
import type { NavigationGuardWithThis, RouteLocationNormalized, RouteRecordRaw, Router } from 'vue-router';
import { createAuthGuard, type AuthFetch, type useAuth } from '../src/index.js';

describe('types', () => {
  it('useAuth() returns read-only refs of the snapshot fields', () => {
    type Auth = ReturnType<typeof useAuth>;
    expectTypeOf<Auth['status']>().toEqualTypeOf<ComputedRef<AuthStatus>>();
    expectTypeOf<Auth['user']>().toEqualTypeOf<ComputedRef<User | undefined>>();
    expectTypeOf<Auth['snapshot']['value']>().toEqualTypeOf<AuthSnapshot>();
    const auth = {} as Auth;
    expectTypeOf(auth.getAccessToken()).toEqualTypeOf<Promise<string>>();
    expectTypeOf(auth.getAccessToken({ detailedResponse: true })).toEqualTypeOf<
      Promise<AccessTokenResponse>
    >();
    expectTypeOf(auth.ready).toEqualTypeOf<Promise<void>>();
    expectTypeOf(auth.getUserInfo()).toEqualTypeOf<Promise<User>>();
    expectTypeOf(auth.createDpopProof({ method: 'GET', url: '/' })).toEqualTypeOf<Promise<string>>();
  });

  it('$auth is typed for the Options API', () => {
    expectTypeOf<ComponentCustomProperties['$auth']['isAuthenticated']>().toEqualTypeOf<boolean>();
    expectTypeOf<ComponentCustomProperties['$auth']['loginWithRedirect']>().toBeFunction();
    expectTypeOf<ComponentCustomProperties['$auth']['ready']>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ComponentCustomProperties['$auth']['snapshot']>().toEqualTypeOf<AuthSnapshot>();
  });

  it('the guard and the fetch have the shapes vue-router and fetch callers expect', () => {
    expectTypeOf(createAuthGuard()).toExtend<NavigationGuardWithThis<undefined>>();
    expectTypeOf(createAuthGuard()).toExtend<Parameters<Router['beforeEach']>[0]>();
    const route: RouteRecordRaw = { path: '/', component: {}, beforeEnter: createAuthGuard() };
    expectTypeOf(route).toExtend<RouteRecordRaw>();
    // Per-route login options see vue-router's route when the app names its type.
    createAuthGuard<RouteLocationNormalized>({
      loginOptions: (to) => {
        expectTypeOf(to.meta).toEqualTypeOf<RouteLocationNormalized['meta']>();
        return {};
      },
    });
    expectTypeOf<AuthFetch>().parameters.toEqualTypeOf<[RequestInfo | URL, RequestInit?]>();
  });
});
