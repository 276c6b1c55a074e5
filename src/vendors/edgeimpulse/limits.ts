/**
 * Name limits for Edge Impulse, as data. Edge Impulse documents no maximum
 * length for an API key's name ("description of the key"), so we choose 256
 * characters: longer than any name a person types, short enough that a
 * hostile manifest cannot send megabytes to the vendor or into plan output.
 */
export const EDGE_IMPULSE_KEY_NAME_MAX = 256;
