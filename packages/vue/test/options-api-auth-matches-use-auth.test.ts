import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { useAuth, type GlobalAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';

/** An Options API view of the renewal event, waiting for `ready` before it shows anything. */
const RenewalView = defineComponent({
  data: () => ({ started: false }),
  async mounted() {
    await this.$auth.ready;
    this.started = true;
  },
  render() {
    const renewal = this.$auth.renewal;
    return h('p', this.started ? `${renewal?.type ?? 'none'}|${this.$auth.snapshot.status}` : 'starting');
  },
});

describe('$auth (the Options API)', () => {
  it('has every member useAuth() has', () => {
    let composed: UseAuthReturn | undefined;
    let global: GlobalAuth | undefined;
    mount(
      defineComponent({
        setup: () => void (composed = useAuth()),
        created() {
          global = this.$auth;
        },
        render: () => null,
      }),
      { global: { plugins: [createTestingAuth()] } },
    );
    expect(Object.keys(global!).sort()).toEqual(Object.keys(composed!).sort());
  });

  it("has the plugin's ready, the latest renewal event and the whole snapshot, reactively", async () => {
    const plugin = createTestingAuth();
    const wrapper = mount(RenewalView, { global: { plugins: [plugin] } });
    expect(wrapper.vm.$auth.ready).toBe(plugin.ready);
    await plugin.ready;
    await nextTick();
    expect(wrapper.text()).toBe('none|authenticated');

    plugin.client.emitRenewal({ type: 'renewed', expiresAt: 42 });
    await nextTick();
    expect(wrapper.text()).toBe('renewed|authenticated');
    expect(wrapper.vm.$auth.renewal).toEqual({ type: 'renewed', expiresAt: 42 });

    plugin.client.setState({ status: 'refreshing' });
    await nextTick();
    expect(wrapper.text()).toBe('renewed|refreshing');
    expect(wrapper.vm.$auth.snapshot).toBe(plugin.client.getSnapshot());
  });
});
