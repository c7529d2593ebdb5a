import { sandboxPolicySchema, type SandboxPolicy } from './schema.ts';

export const PRESET_NAMES = ['minimal', 'basic', 'strict'] as const;

/** kavach's presets. None sets landlock rules; network is already off by default. */
export function presetPolicy(name: string): SandboxPolicy {
  const key = name.toLowerCase();
  switch (key) {
    case 'minimal':
      return sandboxPolicySchema.parse({});
    case 'basic':
      return sandboxPolicySchema.parse({ seccomp_enabled: true, seccomp_profile: 'basic' });
    case 'strict':
      return sandboxPolicySchema.parse({
        seccomp_enabled: true,
        seccomp_profile: 'strict',
        read_only_rootfs: true,
        memory_limit_mb: 512,
        cpu_limit: 1.0,
        max_pids: 64,
      });
    default:
      // kavach's message, with the name lowercased as it matches it (policy/mod.rs 1.0.1:98-107)
      throw new Error(`unknown policy: ${key} (use minimal, basic, strict)`);
  }
}
