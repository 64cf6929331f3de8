// Confluent's error vocabulary: tools and clients branch on `error_code`, and the HTTP status is its
// first three digits. Codes and wording follow Confluent's Errors.java.

export class RegistryError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
    this.httpStatus = Number(String(errorCode).slice(0, 3));
  }
}

export const subjectNotFound = (subject: string) => new RegistryError(40401, `Subject '${subject}' not found.`);

export const versionNotFound = (version: number) => new RegistryError(40402, `Version ${version} not found.`);

export const schemaNotFound = (id?: string) =>
  new RegistryError(40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`);

export const subjectCompatibilityNotConfigured = (subject: string) =>
  new RegistryError(40408, `Subject '${subject}' does not have subject-level compatibility configured`);

// Confluent answered 409 with error_code 409 before 5.x and 40901 since; 40901 keeps the
// status-is-the-first-three-digits rule and is what current tooling expects.
export const incompatibleSchema = (subject: string, problems: readonly string[]) =>
  new RegistryError(
    40901,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", ` +
      `details: [${problems.join(', ')}]`,
  );

export const invalidSchema = (reason: string) => new RegistryError(42201, `Invalid schema: ${reason}`);

export const invalidVersion = (version: string) =>
  new RegistryError(
    42202,
    `The specified version '${version}' is not a valid version id. ` +
      'Allowed values are between [1, 2^31-1] and the string "latest"',
  );

export const invalidCompatibilityLevel = (levels: readonly string[]) =>
  new RegistryError(42203, `Invalid compatibility level. Valid values are ${levels.join(', ')}`);
