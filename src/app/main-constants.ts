/** Names shared by the cdktf app and the CLI that drives it. */
export const STACK_NAME = 'apikeys';
export const DEFAULT_MANIFEST = 'examples/apikeys.yaml';
