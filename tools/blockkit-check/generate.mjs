// Turns every samples/*.json into a typed constant of generated/check.ts, so tsc checks it against
// @slack/types with excess-property checks (a misspelt field is an error, not ignored). The type comes
// from the file name: modal-* → ModalView, home-* → HomeView, options-* → an options answer,
// view-submission-errors* → a response_action: errors answer.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const samples = process.env.PSCALE_BLOCKKIT_SAMPLES ?? 'samples';
const types = [
  [/^modal-/, 'ModalView'],
  [/^home-/, 'HomeView'],
  [/^options-/, 'OptionsAnswer'],
  [/^view-submission-errors/, 'ErrorsAnswer'],
];
const files = readdirSync(samples).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`No samples in ${samples}: run the end-to-end tests with PSCALE_BLOCKKIT_SAMPLES set first (see README).`);
  process.exit(1);
}

let source = `import type { HomeView, ModalView, PlainTextOption } from '@slack/types';\n\n`;
source += `// The body of a block_suggestion acknowledgement (Slack's "options load URL" answer).\n`;
source += `type OptionsAnswer = { options: PlainTextOption[] };\n`;
source += `// The body of a view_submission acknowledgement that keeps the modal open with inline errors.\n`;
source += `type ErrorsAnswer = { response_action: 'errors'; errors: Record<string, string> };\n\n`;
for (const file of files) {
  const match = types.find(([pattern]) => pattern.test(file));
  if (!match) {
    console.error(`${file}: no type for this sample name (expected modal-*, home-*, options-*, view-submission-errors*)`);
    process.exit(1);
  }

  const name = file.replace(/\.json$/, '').replace(/[^A-Za-z0-9]/g, '_');
  const json = readFileSync(join(samples, file), 'utf8');
  source += `// ${file}\nexport const ${name}: ${match[1]} = ${json.trim()};\n\n`;
}

mkdirSync('generated', { recursive: true });
writeFileSync(join('generated', 'check.ts'), source);
console.log(`Checking ${files.length} sample(s): ${files.join(', ')}`);
