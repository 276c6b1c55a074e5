/**
 * Validation rules, written once and applied by every layer: the manifest
 * loader (zod, with file:line), the constructs (all problems at once) and the
 * provider (a diagnostic on the attribute). A rule sees a plain value (a cty
 * value's JavaScript form is one) and returns what is wrong as the rest of a
 * sentence that starts with the field's name ("must be ...", "contains ..."),
 * or undefined when the value is fine. A rule ignores values of a type it does
 * not judge, never throws, and never repeats a value that looks like a key.
 */
export type Rule = (value: unknown) => string | undefined;
