import { watchTerraform } from '../../../src/provider/protocol/terraform-watch';
import { until } from './until';

describe('watchTerraform', () => {
  test('fires once when the parent process changes (Terraform died, the provider was re-parented)', async () => {
    let parent = 4242;
    let polls = 0;
    const onGone = jest.fn();
    const watch = watchTerraform(onGone, { pollMs: 1, parentPid: () => (polls++, parent) });
    await until(() => polls > 3);
    expect(onGone).not.toHaveBeenCalled();
    parent = 1;
    await until(() => onGone.mock.calls.length > 0);
    const pollsAtFire = polls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onGone).toHaveBeenCalledTimes(1);
    expect(polls).toBe(pollsAtFire); // the watch stopped polling
    watch.stop();
  });

  test('does not watch when already orphaned at start (no Terraform parent to lose)', async () => {
    let polls = 0;
    const onGone = jest.fn();
    watchTerraform(onGone, { pollMs: 1, parentPid: () => (polls++, 1) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(polls).toBe(1);
    expect(onGone).not.toHaveBeenCalled();
  });
});
