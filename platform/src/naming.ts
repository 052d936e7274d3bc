/** "business-registration" → "businessRegistration": member names as GraphQL field and class name parts. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
