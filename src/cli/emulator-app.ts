import type { EmulatedOrganizationSpec } from '../emulator/vendors';
import { appStacks, type AppStacksOptions } from './app-stacks';
import { organizationsOfStack } from './emulated-organizations';

export type EmulatorAppOptions = AppStacksOptions;

/**
 * `apikeys emulator --app`: the organizations a user's CDKTF app declares,
 * in code or from a manifest, read from each synthesized stack
 * (./emulated-organizations.ts).
 */
export async function organizationsOfApp(options: EmulatorAppOptions): Promise<EmulatedOrganizationSpec[]> {
  const stacks = await appStacks(options, 'apikeys emulator --app');
  return stacks.flatMap((stack) => organizationsOfStack(stack.json, `stack ${stack.name}`));
}
