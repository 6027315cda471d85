// @vitest-environment happy-dom
import { createTestingAuth } from '@grantflow/vue/testing';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import HomePage from './HomePage.vue';

describe('HomePage', () => {
  it('greets a signed-in user and follows a sign-out pushed by the client', async () => {
    const auth = createTestingAuth({ user: { sub: 'u1', email: 'ada@example.com' } });
    const wrapper = mount(HomePage, { global: { plugins: [auth] } });
    expect(wrapper.text()).toContain('ada@example.com');

    auth.client.setState({ status: 'unauthenticated' });
    await nextTick();
    expect(wrapper.text()).toContain('Sign in');
  });
});
