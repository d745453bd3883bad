import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError, validationFailed } from '../errors/api-error';
import { isMessageKey, MessageKey } from '../errors/messages';
import { parseValidationMessage } from './decorators';

/** Keys for class-validator's built-in constraints when a DTO did not name a message. */
const CONSTRAINT_KEYS: Record<string, MessageKey> = {
  isDefined: 'v.required',
  isNotEmpty: 'v.required',
  isString: 'v.string',
  isInt: 'v.integer',
  isBoolean: 'v.boolean',
  isIn: 'v.in',
  isEnum: 'v.in',
  isEmail: 'v.email',
  isObject: 'v.object',
  nestedValidation: 'v.object',
};

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = prefix + error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const parsed = parseValidationMessage(message);
      const key = isMessageKey(parsed.key) ? parsed.key : (CONSTRAINT_KEYS[constraint] ?? 'v.invalid');
      result.push({ field, key, params: { field, ...parsed.params } });
    }
    result.push(...flatten(error.children ?? [], `${field}.`));
  }
  return result;
}

/**
 * Validates a nested part of a body whose class depends on another field (e.g. verification `data` by `type`):
 * same rules as the pipe, errors reported under `prefix` (`data.id_card.number`). `partial` skips absent fields.
 */
export async function validateNested<T extends object>(cls: ClassConstructor<T>, value: unknown, prefix: string, partial = false): Promise<T> {
  const instance = plainToInstance(cls, isPlainObject(value) ? value : {});
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: false, stopAtFirstError: true, skipUndefinedProperties: partial });
  const relevant = partial ? withoutAbsentRequired(errors) : errors;
  if (relevant.length) throw validationFailed(flatten(relevant, `${prefix}.`));
  return instance;
}

/**
 * Partial validation: class-validator runs @IsDefined even with skip*Properties, so an absent (undefined) required
 * field is dropped from the errors here; `null` still fails (a required field cannot be cleared).
 */
function withoutAbsentRequired(errors: ValidationError[]): ValidationError[] {
  return errors.filter((error) => {
    if (error.value === undefined && error.constraints?.isDefined) delete error.constraints.isDefined;
    error.children = withoutAbsentRequired(error.children ?? []);
    return Object.keys(error.constraints ?? {}).length > 0 || error.children.length > 0;
  });
}

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Mobile-API validation: unknown fields are dropped (never mass-assigned), failures become the 422 shape of
 * spec README §3, and a body that is not a JSON object is validated as an empty one (→ "required" errors).
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      transform: true,
      forbidUnknownValues: false,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  /** Per DTO class: how to make what an empty query gives, when an empty object passes its rules; else null. */
  private readonly emptyQueries = new Map<ClassConstructor<object>, Promise<(() => object) | null>>();

  override async transform(value: unknown, metadata: ArgumentMetadata) {
    const dto =
      metadata.metatype &&
      metadata.metatype !== Object &&
      typeof metadata.metatype === 'function' &&
      !['String', 'Number', 'Boolean', 'Array'].includes(metadata.metatype.name);
    if (dto && (metadata.type === 'body' || metadata.type === 'query') && !isPlainObject(value)) value = {};
    // Most reads carry no query string: their DTO's defaults, without class-validator's walk over its rules.
    if (dto && metadata.type === 'query' && isEmpty(value)) {
      const makeEmpty = await this.emptyQuery(metadata.metatype as ClassConstructor<object>);
      if (makeEmpty) return makeEmpty();
    }
    return super.transform(value, metadata);
  }

  private emptyQuery(cls: ClassConstructor<object>): Promise<(() => object) | null> {
    let makeEmpty = this.emptyQueries.get(cls);
    if (!makeEmpty) {
      makeEmpty = super.transform({}, { type: 'query', metatype: cls }).then(
        () => emptyInstances(cls),
        () => null,
      );
      this.emptyQueries.set(cls, makeEmpty);
    }
    return makeEmpty;
  }
}

/**
 * Fresh instances of `plainToInstance(cls, {})`: copies of one (plainToInstance costs microseconds per request) when
 * its fields are all primitives, so that no request sees another's changes; plainToInstance each time otherwise.
 */
function emptyInstances(cls: ClassConstructor<object>): () => object {
  const template = plainToInstance(cls, {});
  const primitive = Object.values(template).every((field) => field === null || (typeof field !== 'object' && typeof field !== 'function'));
  if (!primitive) return () => plainToInstance(cls, {});
  const prototype = Object.getPrototypeOf(template) as object;
  return () => Object.assign(Object.create(prototype) as object, template);
}

function isEmpty(value: unknown): boolean {
  for (const key in value as object) if (Object.hasOwn(value as object, key)) return false;
  return true;
}
