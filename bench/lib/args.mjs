// The bench scripts' command line: `--name value` options and bare `--name` flags.
const args = process.argv.slice(2);

export const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

export const flag = (name) => args.includes(`--${name}`);
