import { ApiKeysError } from '../errors';

/** A command line the CLI cannot act on: an unknown option, a missing value. Printed with the command's usage hint. */
export class UsageError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_USAGE';
}

/** A CDKTF project the CLI cannot work with: no cdktf.json, no app command, an unknown or ambiguous stack, a failed synth. */
export class ProjectError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_PROJECT';
}

/** A program apikeys runs (terraform, the app's command) is not on PATH. */
export class ToolMissingError extends ApiKeysError {
  override readonly code = 'APIKEYS_ERR_TOOL_MISSING';
  constructor(readonly tool: string) {
    super(`${tool} was not found on PATH`, { hint: 'Install it or add it to PATH: apikeys needs Terraform 1.11+ and Node.js 20+.' });
  }
}
