/**
 * Name limits for OpenAI, as data. OpenAI documents no maximum length for an
 * admin key's name or a service account's name (see /work/shared/vendor-apis.md),
 * so we choose 256 characters: longer than any name a person types, short
 * enough that a hostile manifest cannot send megabytes to the vendor or into
 * plan output.
 */
export const OPENAI_ADMIN_KEY_NAME_MAX = 256;
export const OPENAI_SERVICE_ACCOUNT_NAME_MAX = 256;
