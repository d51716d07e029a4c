import { describe, expect, it } from 'vitest';

/**
 * Element Plus comes one component at a time (vite.config.ts): the resolver gives each `<el-*>` tag its CSS,
 * but it cannot see the services called from script (`ElMessage.error(...)`), whose CSS each file must import
 * itself, or the toast shows unstyled. And nothing may bring the whole library back.
 */
const SOURCES = import.meta.glob<string>(['./**/*.{ts,vue}', '!./**/*.test.ts', '!./test-support/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const SERVICE_STYLES: Record<string, string> = {
  ElMessage: 'message',
  ElMessageBox: 'message-box',
  ElNotification: 'notification',
  ElLoading: 'loading',
};

/** The names a file imports as values (not `import type`, not `type X`) from the package root. */
function valueImportsFromElementPlus(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/^import\s+\{([^}]*)\}\s+from\s+'element-plus';/gm)) {
    for (const specifier of (match[1] ?? '').split(',')) {
      const name = specifier.trim();
      if (name && !name.startsWith('type ')) names.push(name);
    }
  }
  return names;
}

describe('Element Plus on demand', () => {
  it('finds the sources it checks', () => {
    expect(Object.keys(SOURCES)).toContain('./components/feedback/error-toast.ts');
  });

  it('has every file that calls an Element Plus service import that service\'s CSS', () => {
    const unstyled = Object.entries(SOURCES).flatMap(([file, source]) =>
      valueImportsFromElementPlus(source)
        .filter((name) => SERVICE_STYLES[name] && !source.includes(`import 'element-plus/es/components/${SERVICE_STYLES[name]}/style/css';`))
        .map((name) => `${file}: ${name}`),
    );
    expect(unstyled).toEqual([]);
  });

  it('has no file install or style the whole of Element Plus', () => {
    const whole = Object.entries(SOURCES)
      .filter(([, source]) => /^import\s+ElementPlus\b/m.test(source) || source.includes("'element-plus/dist/index.css'") || /\.use\(\s*ElementPlus\s*\)/.test(source))
      .map(([file]) => file);
    expect(whole).toEqual([]);
  });
});
