import { journeyJsonSchema } from "@lifeloop/shared";
import { parse } from "../args.ts";
import type { Verb } from "../verb.ts";

export const schema: Verb = {
  name: "schema",
  usage: "schema",
  summary: "print the journey file's JSON Schema",
  run(argv, out) {
    parse(argv, {});
    out.stdout(JSON.stringify(journeyJsonSchema(), null, 2));
    return 0;
  },
};
