import { type DescMessage, getOption, hasOption } from '@bufbuild/protobuf';
import { allContractFiles, event_type } from './gen';

export * from './gen';

/** Every domain event message in proto/, keyed by its `event_type` option. */
export const eventSchemas: ReadonlyMap<string, DescMessage> = (() => {
  const map = new Map<string, DescMessage>();
  for (const file of allContractFiles) {
    for (const message of file.messages) {
      if (hasOption(message, event_type)) map.set(getOption(message, event_type), message);
    }
  }
  return map;
})();

const typeOfSchema = new WeakMap<DescMessage, string>();

/** The event type a payload schema declares; throws for a message that is not an event. */
export function eventTypeOf(schema: DescMessage): string {
  // Reading a custom option builds an extension container each time: once per schema is enough.
  let type = typeOfSchema.get(schema);
  if (type === undefined) {
    if (!hasOption(schema, event_type)) throw new Error(`${schema.typeName} is not an event (no pace.events.v1.event_type option)`);
    type = getOption(schema, event_type);
    typeOfSchema.set(schema, type);
  }
  return type;
}
