import type {
  AccessTokenResponse,
  AuthClient,
  AuthSnapshot,
  AuthStatus,
  IdTokenClaims,
  User,
} from '@grantflow/core';
import { describe, expectTypeOf, it } from 'vitest';
import { createApp, inject, type ComponentCustomProperties, type ComputedRef } from 'vue';
import type { NavigationGuardWithThis, RouteLocationNormalized, RouteRecordRaw, Router } from 'vue-router';
import {
  authClientKey,
  authGuard,
  createAuth,
  createAuthGuard,
  useAuthClient,
  type AuthFetch,
  type useAuth,
} from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';

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

  it("the client under authClientKey has every method of the core's client", () => {
    const client = inject(authClientKey)!;
    expectTypeOf(client).toEqualTypeOf<AuthClient>();
    expectTypeOf(client.getUserInfo()).toEqualTypeOf<Promise<User>>();
    expectTypeOf(client.getIdTokenClaims()).toEqualTypeOf<
      Promise<(IdTokenClaims & { __raw?: string }) | undefined>
    >();
    expectTypeOf(client.loginWithPopup()).toEqualTypeOf<Promise<{ appState: unknown }>>();
    expectTypeOf(client.getAccessTokenWithPopup()).toEqualTypeOf<Promise<string>>();
    expectTypeOf(client.createDpopProof({ method: 'GET', url: '/' })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(client.onRenewal(() => undefined)).toEqualTypeOf<() => void>();
    expectTypeOf(client.forwardPopupCallback('/')).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(client.isLoginCallback('/')).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(client.buildAuthorizeUrl()).toEqualTypeOf<Promise<string>>();
    expectTypeOf(client.getUser()).toEqualTypeOf<Promise<User | undefined>>();
    expectTypeOf(client.isAuthenticated()).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(useAuthClient()).toEqualTypeOf<AuthClient>();
    expectTypeOf(
      createAuth({ issuer: '', clientId: '', redirectUri: '' }).client,
    ).toEqualTypeOf<AuthClient>();
    // The testing client can be used wherever the core's is.
    expectTypeOf(createTestingAuth().client).toExtend<AuthClient>();
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

  it("the guard takes auth0-vue's shapes: an app, { app, redirectLoginOptions }, and the ready authGuard", () => {
    const app = createApp({});
    expectTypeOf(createAuthGuard(app)).toExtend<NavigationGuardWithThis<undefined>>();
    const withApp = createAuthGuard({ app, redirectLoginOptions: { appState: { target: '/x' } } });
    expectTypeOf(withApp).toExtend<NavigationGuardWithThis<undefined>>();
    expectTypeOf(authGuard).toExtend<NavigationGuardWithThis<undefined>>();
    expectTypeOf(authGuard).toExtend<Parameters<Router['beforeEach']>[0]>();
    const route: RouteRecordRaw = { path: '/', component: {}, beforeEnter: authGuard };
    expectTypeOf(route).toExtend<RouteRecordRaw>();
    // @ts-expect-error an app is a Vue app, not any value
    createAuthGuard({ app: 'main' });
  });
});
