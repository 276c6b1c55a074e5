/**
 * cty types as Terraform encodes them in schemas: JSON such as "string",
 * ["set","string"] or ["object",{"name":"string"}].
 */
export type CtyPrimitive = 'string' | 'number' | 'bool';
export type CtyType =
  | CtyPrimitive
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', { readonly [attribute: string]: CtyType }];

export const listOf = (element: CtyType): CtyType => ['list', element] as const;
export const setOf = (element: CtyType): CtyType => ['set', element] as const;
export const mapOf = (element: CtyType): CtyType => ['map', element] as const;
export const objectOf = (attributes: { [attribute: string]: CtyType }): CtyType => ['object', attributes] as const;

/** The type as the JSON bytes that Schema.Attribute.type carries. */
export const typeToJsonBytes = (type: CtyType): Buffer => Buffer.from(JSON.stringify(type), 'utf8');

export function describeType(type: CtyType): string {
  if (typeof type === 'string') return type;
  if (type[0] === 'object') return 'object';
  return `${type[0]} of ${describeType(type[1])}`;
}
