// Names each module of the reference after its import specifier (`@grantflow/vue/testing`) rather than
// its path in the repository (`vue/src/testing`).
import { Converter } from 'typedoc';
import { publishedEntryPoints } from './packages.mjs';

export function load(app) {
  const names = new Map(publishedEntryPoints().map((entry) => [entry.file, entry.name]));
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      const file = module.sources?.[0]?.fullFileName;
      const name = file === undefined ? undefined : names.get(file);
      if (name !== undefined) module.name = name;
    }
  });
}
