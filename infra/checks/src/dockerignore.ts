/**
 * `.dockerignore` matching as Docker does it: patterns relative to the context root, `*` and `?`
 * within one path element, `**` across elements, a pattern also excluding everything below a matched
 * directory, `!` re-including, and the last matching pattern winning.
 */
export interface DockerIgnore {
  isExcluded(path: string): boolean;
}

export function parseDockerIgnore(text: string): DockerIgnore {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line)
        .trim()
        .replace(/^\/+/, '')
        .replace(/\/+$/, '');
      return { negate, regex: globToRegex(pattern) };
    });
  return {
    isExcluded(path: string) {
      const clean = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
      const parts = clean.split('/');
      let excluded = false;
      for (const rule of rules) {
        // A rule matching a parent directory excludes the path too.
        const matches = parts.some((_, i) => rule.regex.test(parts.slice(0, i + 1).join('/')));
        if (matches) excluded = !rule.negate;
      }
      return excluded;
    },
  };
}

export function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
