#!/usr/bin/env python3
"""Generator of policies/crown-jewels.yaml: `scripts/gen-crown-jewels.py > policies/crown-jewels.yaml`.

The policy language has no named patterns yet, so each regex is written out once per argument
name and list index; generating them keeps the copies identical (tests/integration/test_packs.py
checks that too)."""
import re, sys

S = r'(?:^|[/\\])'                     # start of a path segment
E = r'(?:[/\\.\s]|::\$data)*$'         # end of the path (trailing / . space ::$DATA ignored)

def alt(*xs):
    return '(?:' + '|'.join(xs) + ')'

# ---- credentials: no tool may read, write, move or stat them -------------------------
NAMES = alt(
    r'id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?![^/\\]*\.pub' + E + r')[^/\\]*',
    r'ssh_host_[^/\\]*_key',
    r'[^/\\]*\.(?:pem|key|p12|pfx|p8|ppk|jks|keystore|kdbx)',
    r'\.env(?:\.(?![^/\\]*(?:example|sample|template|dist))[^/\\]*)?',
    r'(?![^/\\]*(?:example|sample|template|dist))[^/\\]+\.env',
    r'\.envrc',
    r'[._]netrc',
    r'\.git-credentials', r'\.gitcookies', r'git[/\\]+credentials',
    r'\.npmrc', r'\.pypirc',
    r'\.cargo[/\\]+credentials(?:\.toml)?',
    r'\.docker[/\\]+config\.json',
    r'\.gem[/\\]+credentials',
    r'\.terraformrc', r'terraform\.rc', r'credentials\.tfrc\.json',
    r'gh[/\\]+hosts\.ya?ml',
    r'application_default_credentials\.json', r'credentials\.db', r'access_tokens\.db',
    r'(?:[^/\\]*[._-])?kubeconfig(?:\.(?:ya?ml|json|conf))?',
    r'serviceaccount[/\\]+token',
    r'etc[/\\]+kubernetes[/\\]+[^/\\]+\.conf',
    r'\.pgpass', r'\.my\.cnf', r'\.vault-token', r'\.boto', r'\.s3cfg',
    r'\.m2[/\\]+settings(?:-security)?\.xml',
    r'\.gradle[/\\]+gradle\.properties',
    r'\.?composer[/\\]+auth\.json',
    r'rclone[/\\]+rclone\.conf',
    r'etc[/\\]+g?shadow-?',
)
DIRS_INSIDE = alt(r'\.aws', r'\.azure', r'\.gnupg', r'\.kube', r'\.config[/\\]+gcloud',
                  r'legacy_credentials', r'run[/\\]+secrets', r'kubernetes\.io~(?:projected|secret)')
CRED = ('(?i)' + S + alt(
    r'\.ssh[/\\]+(?!.*\.pub' + E + r')[^/\\]',
    DIRS_INSIDE + r'[/\\]+[^/\\]',
    NAMES + E,
))

# ---- non-canonical paths ---------------------------------------------------------------
DOT = r'\.[.\s]*'
NONCANON = ('(?i)' + alt(
    r'^[/\\]*(?:' + DOT + r'[/\\]+)*(?!' + DOT + r'(?:[/\\]|$))[^/\\].*[/\\]' + DOT + r'(?:[/\\]|$)',
    r'\x00',
    r'^[a-z][a-z0-9+.-]*:.*%(?:2[def]|3[0-9]|[46][1-9a-f]|[57][0-9a]|5[cf]|7e)',
))

# ---- write-protected -------------------------------------------------------------------
END_OR_DIR = r'(?:[/\\]|' + E + ')'
SSHW = '(?i)' + S + alt(r'\.ssh' + END_OR_DIR, r'authorized_keys2?' + E, r'etc[/\\]+ssh' + END_OR_DIR)
INSTR = '(?i)' + S + alt(
    alt(r'CLAUDE(?:\.local)?\.md', r'AGENTS?(?:\.override)?\.md', r'GEMINI\.md',
        r'\.cursorrules', r'\.windsurfrules', r'\.roorules', r'\.goosehints', r'\.rules',
        r'copilot-instructions\.md', r'\.?mcp\.json', r'[^/\\]*mcp_settings\.json', r'mcp_config\.json',
        r'claude_desktop_config\.json') + E,
    alt(r'\.claude', r'\.cursor', r'\.windsurf', r'\.gemini', r'\.clinerules', r'\.roo', r'\.continue',
        r'\.codex', r'\.amazonq', r'\.kiro', r'\.junie',
        r'\.github[/\\]+(?:instructions|prompts|chatmodes|agents)') + END_OR_DIR,
)
CI = '(?i)' + S + alt(
    alt(r'\.github[/\\]+(?:workflows|actions)', r'\.gitlab-ci[^/\\]*', r'\.gitlab[/\\]+ci', r'\.circleci',
        r'\.buildkite', r'\.woodpecker', r'\.tekton') + END_OR_DIR,
    alt(r'Jenkinsfile[^/\\]*',
        r'(?:azure-pipelines|bitbucket-pipelines|\.travis|\.drone|cloudbuild|buildspec|\.?appveyor|\.woodpecker)\.ya?ml') + E,
)
HOOKS = '(?i)' + S + alt(
    alt(r'\.git[/\\]+hooks', r'\.husky', r'etc[/\\]+cron[^/\\]*', r'(?:var[/\\]+)?spool[/\\]+cron',
        r'LaunchAgents', r'LaunchDaemons', r'systemd[/\\]+user', r'\.config[/\\]+autostart') + END_OR_DIR,
    alt(r'\.git[/\\]+config', r'\.gitconfig', r'git[/\\]+config', r'\.gitattributes',
        r'\.pre-commit-config\.ya?ml', r'\.vscode[/\\]+(?:settings|tasks)\.json',
        r'\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zshenv|zprofile|zlogin|zlogout|kshrc|cshrc|tcshrc)',
        r'config\.fish', r'crontab') + E,
)
PROTDIRS = '(?i)' + S + alt(
    r'\.ssh', r'\.gnupg', r'\.aws', r'\.azure', r'\.kube', r'\.docker', r'\.cargo', r'\.gem', r'\.m2',
    r'\.gradle', r'\.?composer', r'\.config', r'gcloud', r'gh', r'git', r'rclone', r'legacy_credentials',
    r'secrets', r'serviceaccount', r'kubernetes(?:\.io~(?:projected|secret))?', r'\.github', r'\.gitlab',
    r'\.git') + E
PUSHED = '(?i)' + S + alt(INSTR[len('(?i)') + len(S):], CI[len('(?i)') + len(S):], HOOKS[len('(?i)') + len(S):])

for name, rx in [('CRED', CRED), ('NONCANON', NONCANON), ('SSHW', SSHW), ('INSTR', INSTR), ('CI', CI),
                 ('HOOKS', HOOKS), ('PROTDIRS', PROTDIRS), ('PUSHED', PUSHED)]:
    re.compile(rx)
    assert "'" not in rx
    print(name, len(rx), file=sys.stderr)

# fixups decided after review
HOOKS = HOOKS.replace(r'|\.gitattributes', '').replace(r'|crontab', '')
WRITEPROT = '(?i)' + S + alt(*(x[len('(?i)') + len(S):] for x in (SSHW, INSTR, CI, HOOKS)))
for rx in (HOOKS, WRITEPROT):
    re.compile(rx)

SINGLE = ['path', 'file', 'filename', 'file_name', 'fileName', 'filepath', 'file_path', 'filePath',
          'target_file', 'uri', 'source', 'destination', 'src', 'dest', 'target', 'old_path', 'new_path']
N = 32
PATHS = ['paths.%d' % i for i in range(N)]
FILES = ['files.%d.path' % i for i in range(N)]

W_TOOLS = ['"*[wW]rite*"', 'edit', 'Edit', '"edit_*"', '"Edit*"', '"*_edit"', '"*_edit_file*"',
           '"*[mM]ulti[eE]dit*"', '"*[mM]ove*"', '"*[rR]ename*"', '"*[cC]opy*"', '"*[cC]reate*"',
           '"*[aA]ppend*"', '"*[pP]atch*"', '"*[sS]ave*"', '"*[uU]pdate*"', '"*[dD]elete*"',
           '"*[uU]nlink*"', '"*[uU]pload*"', '"*[pP]ush*"', '"*[iI]nsert*"', '"replace*"', '"*_replace"']
MOVE_TOOLS = ['"*[mM]ove*"', '"*[rR]ename*"', '"*[cC]opy*"']

out = []
w = out.append

def leaves(args, rx, indent='        '):
    for a in args:
        w("%s- {arg: %s, matches: '%s'}" % (indent, a, rx))

def flow(items):
    return '[' + ', '.join(items) + ']'

def ci(s):
    return ''.join('[%s%s]' % (c.lower(), c.upper()) if c.isalpha() else c for c in s)

HEADER = '''# crown-jewels: keep tools away from credentials, and keep them from planting instructions,
# CI workflows and hooks that would outlive the session.
#
#   sentinel run --policy policies/crown-jewels.yaml -- SERVER...
#
# Everything else is allowed (default: allow). Included by name (`include: [crown-jewels]`)
# its rules come after the including file's own, with ids prefixed `crown-jewels:`, and its
# `default` does not count; it has only deny rules, so it never lets through what another
# rule would refuse. What it does, rule by rule below:
#   - credentials (SSH and GPG keys, AWS/GCP/Azure credentials, kube configs and
#     service-account tokens, .env files, .netrc, git credentials, package-registry tokens):
#     no tool may read, write, move, copy or stat them: whatever the tool's name, when an
#     argument named path, file, filename, file_path, filePath, uri, source, destination,
#     src, dest, target, ... (or an element of a `paths` list) names one;
#   - agent instruction files (CLAUDE.md, AGENTS.md, .cursorrules, copilot-instructions.md,
#     ...) and MCP client configs, CI workflow files, git hooks/config and shell startup
#     files, and ~/.ssh: write-like tools may not write, move or delete them. Reading them
#     stays allowed: agents are meant to read their instructions and the CI setup;
#   - resources/read of the same credentials, as URIs;
#   - paths spelled so as to hide a name (`a/../.env`, `.github/./workflows`, a NUL byte)
#     are refused outright, and so are URI-form arguments that percent-encode what needs no
#     encoding (`file:///app/%2Eenv`); a plain path is taken as written (`/app/%2Eenv` is a
#     file of that name, not .env).
# It covers the official server-filesystem (read_file, read_text_file, read_media_file,
# read_multiple_files, get_file_info, write_file, edit_file, move_file; list_directory,
# directory_tree and search_files may still list ~/.ssh or ~/.aws themselves: they show
# names, not contents) and the usual tool and argument names of other servers (read, cat,
# open_file, fs_read, view, get_file_contents, create_or_update_file, push_files,
# str_replace_based_edit_tool...), and prompts whose arguments name a file.
#
# What it does NOT cover:
#   - Commands. A shell or code-execution tool can still `cat ~/.ssh/id_rsa`: use this pack
#     with the default pack's no-arbitrary-commands rule (policies/default.yaml) or an
#     archetype that confines the shell.
#   - Contents. It decides on names, never on what a file holds: a key pasted into notes.txt,
#     a secret in a tool result, a symlink or hard link named notes.txt pointing at a key are
#     not seen. Content-based secret detection comes with result scanning in a later release.
#   - Argument names and shapes it does not know: nested arguments (options.path), glob
#     patterns (search_files' `pattern`, a tool that reads "**/.env"), lists other than
#     `paths` (first 32 checked, longer refused) and push_files' `files[].path` (same).
#   - Windows 8.3 short names (GIT-CR~1), and files it does not name: service-account key
#     files with arbitrary names, tokens in arbitrary config files.
#   - Paths so odd that a regex hits the engine's match limit (a single segment of
#     thousands of characters) are refused: the engine fails closed.
#   - resources/read is matched by globs (conditions cannot see the URI), so no exceptions
#     there: .env.example and *.pub are refused as resources.
#
# Why the regexes repeat: conditions test one argument path each, the language has no
# named patterns (YAML anchors are refused) and list elements are addressed by index, so
# each rule repeats its one regex per argument name and per index 0..31.
# tests/integration/test_packs.py checks that the copies inside a rule are identical, and
# runs a table of allowed and denied calls through `sentinel explain` and the real server.
#
# Building blocks of the regexes, all case-insensitive (?i):
#   (?:^|[/\\])                 start of a path segment (either separator)
#   (?:[/\\.\s]|::\$data)*$     end of the path: trailing separators, dots, spaces and the
#                               ::$DATA stream suffix are ignored, as path.resolve and
#                               Windows ignore them
#
# Generated by scripts/gen-crown-jewels.py (the regexes repeat per argument name, since the
# language has no named patterns yet): edit the generator and run it, do not edit this file.
'''
w(HEADER.rstrip('\n'))
w('version: 1')
w('name: crown-jewels')
w('description: deny tools access to credentials, and writes to agent instructions, CI and hooks')
w('default: allow')
w('rules:')

def rule(id_, comment, tools=None, methods=None, resources=None, when=None, reason=None):
    w('')
    for line in comment.strip('\n').split('\n'):
        w('  # ' + line if line else '  #')
    w('  - id: ' + id_)
    w('    effect: deny')
    if methods:
        w('    methods: ' + flow(methods))
    if tools:
        w('    tools: ' + flow(tools))
    if resources:
        w('    resources:')
        for r in resources:
            w('      - "%s"' % r)
    if when:
        when()
    assert '"' not in reason and '\\' not in reason
    w('    reason: "%s"' % reason)

def any_of(args, rx):
    def f():
        w('    when:')
        w('      any:')
        leaves(args, rx)
    return f

import textwrap
C = textwrap.dedent

rule('non-canonical-paths', C('''
    Name-based rules only work on plain paths. A `.` or `..` segment after the start of a
    path (`/home/u/.aws/x/../credentials`, `.github/./workflows/x.yml`, `/app/.env/.`), a
    NUL byte, or a URI that percent-encodes what needs no encoding (`file:///h/%2Essh/id_rsa`)
    can hide a protected file, so such arguments are refused outright, for every tool and
    prompt. Leading `./` and `../` are fine: they cannot remove a later segment.
    The one regex below is repeated for each argument name and list element (the language
    has no named patterns and no "any element" path; test_packs.py checks the copies agree).'''),
     tools=['"*"'], methods=['tools/call', 'prompts/get'], when=any_of(SINGLE + PATHS + FILES, NONCANON),
     reason='path with `.` or `..` segments, a NUL byte or needless percent-encoding; pass the plain resolved path')

rule('credential-files', C('''
    Credentials: no tool (and no prompt) may read, write, move, copy or stat them, whatever
    its name: the rule matches every tool that passes one of these argument names.
      SSH        everything in .ssh/ except public keys (*.pub: not secret); id_rsa, id_ed25519
                 ... anywhere; ssh_host_*_key; *.pem *.key *.p12 *.pfx *.p8 *.ppk *.jks
                 *.keystore *.kdbx anywhere (public certificates in .pem and Keynote .key files
                 are blocked too: a name cannot tell them apart); everything in .gnupg/
      cloud      everything in .aws/ (credentials, config, sso and cli caches), .azure/,
                 .config/gcloud/; application_default_credentials.json, credentials.db,
                 access_tokens.db, legacy_credentials/ anywhere
      kube       everything in .kube/; *kubeconfig*; /etc/kubernetes/*.conf; the mounted
                 service-account token (/var/run/secrets/..., /run/secrets/...,
                 serviceaccount/token, kubernetes.io~projected|secret volumes)
      .env       .env and .env.* except templates whose suffix says example, sample, template
                 or dist (committed, no values); NAME.env (same exceptions); .envrc
      git        .git-credentials, .gitcookies, .config/git/credentials (reading .gitconfig is
                 fine; writing it is refused below); .netrc and _netrc
      registries .npmrc, .pypirc, .cargo/credentials(.toml), .docker/config.json,
                 .gem/credentials, .terraformrc, terraform.rc, credentials.tfrc.json,
                 gh/hosts.yml, .m2/settings(-security).xml, .gradle/gradle.properties,
                 composer/auth.json
      other      .pgpass, .my.cnf, .vault-token, .boto, .s3cfg, rclone/rclone.conf,
                 /etc/shadow, /etc/gshadow
    Robust to: absolute and relative paths, ~/, any home (/home/x, /root, /Users/x,
    C:\\Users\\x), backslashes, repeated separators, a trailing separator, trailing dots and
    spaces and ::$DATA (Windows strips or ignores them), and case: (?i) everywhere, since
    macOS and Windows filesystems are case-insensitive (on Linux it over-blocks .ENV, which is
    harmless); PCRE2 folds Unicode too (the Kelvin sign K matches k). `..` before the name
    (`/data/../root/.ssh/id_rsa`) is harmless: the final segments still match.
    Not listing a directory: list_directory, directory_tree and search_files of ~/.ssh stay
    allowed; they show names, which are not secrets, and refusing them breaks navigation.'''),
     tools=['"*"'], methods=['tools/call', 'prompts/get'], when=any_of(SINGLE, CRED),
     reason='credentials and secrets (SSH and cloud keys, kube configs and tokens, .env files, .netrc, git and registry tokens) are off limits to tools')

rule('credential-files-in-path-lists', C('''
    The same regex on the elements of a `paths` list (server-filesystem's read_multiple_files,
    and any tool that takes one). Conditions can address list elements only by index, so
    elements 0 to 31 are checked here and longer lists are refused by the next rule.'''),
     tools=['"*"'], methods=['tools/call', 'prompts/get'], when=any_of(PATHS, CRED),
     reason='a listed path names a credential or secret file (SSH and cloud keys, kube configs and tokens, .env files, .netrc, git and registry tokens)')

rule('path-lists-too-long-to-check', C('''
    A 33rd element could not be checked: refuse the list rather than pass it unchecked.'''),
     tools=['"*"'], methods=['tools/call', 'prompts/get'],
     when=lambda: w('    when: {arg: paths.%d, exists: true}' % N),
     reason='more than %d paths in one call cannot be checked; split the call' % N)

W_COMMENT = C('''
    Write-like tools, by name: server-filesystem's write_file, edit_file and move_file, and
    the common verbs of other servers (write, edit, create, move, rename, copy, append, patch,
    save, update, delete, upload, push, insert, replace). Read-like tools are not affected.
    Creating one of these directories counts as writing it.''')

rule('ssh-directory-writes', C('''
    ~/.ssh is never written, public keys included: authorized_keys, config (ProxyCommand,
    LocalCommand) and rc are how access persists. Likewise any authorized_keys file and
    /etc/ssh/.''') + '\n' + W_COMMENT,
     tools=W_TOOLS, when=any_of(SINGLE, SSHW),
     reason='SSH configuration and keys (authorized_keys, config, rc) are never written by tools')

rule('agent-instruction-writes', C('''
    Agent instruction and configuration files may be READ (an agent is meant to follow
    them) but not written: an injected prompt that lands in CLAUDE.md, AGENTS.md,
    .cursorrules, .windsurfrules, GEMINI.md, .github/copilot-instructions.md, a rules or
    settings directory (.claude/ with its hooks, .cursor/, .windsurf/, .gemini/, .clinerules,
    .roo/, .continue/, .codex/, .amazonq/, .kiro/, .junie/, .github/instructions|prompts|
    chatmodes|agents) or an MCP client configuration (.mcp.json, mcp.json,
    claude_desktop_config.json, *mcp_settings.json, mcp_config.json) persists into every
    later session, and a new MCP server entry runs code.'''),
     tools=W_TOOLS, when=any_of(SINGLE, INSTR),
     reason='agent instruction and configuration files (CLAUDE.md, AGENTS.md, .cursorrules, copilot-instructions.md, MCP configs) may be read but not written: that is how an injected prompt persists')

rule('ci-workflow-writes', C('''
    CI definitions may be read but not written, moved or deleted: a workflow runs with the
    repository's secrets on the next push (supply-chain persistence). .github/workflows/ and
    .github/actions/, .gitlab-ci*, .gitlab/ci/, Jenkinsfile*, .circleci/, .buildkite/,
    .woodpecker(.yml), .tekton/, azure-pipelines.yml, bitbucket-pipelines.yml, .travis.yml,
    .drone.yml, cloudbuild.yaml, buildspec.yml, appveyor.yml.'''),
     tools=W_TOOLS, when=any_of(SINGLE, CI),
     reason='CI workflow files may be read but not written: a workflow runs with the repository secrets (supply-chain persistence)')

rule('persistence-hook-writes', C('''
    Files that make code run later, without the agent: git hooks and configuration
    (.git/hooks/, .git/config, .gitconfig, .config/git/config: core.hooksPath, fsmonitor,
    sshCommand, credential helpers), .husky/, .pre-commit-config.yaml, .vscode/settings.json
    and tasks.json, shell startup files (.bashrc, .profile, .zshrc, ..., config.fish), cron,
    launchd agents, systemd user units, XDG autostart.'''),
     tools=W_TOOLS, when=any_of(SINGLE, HOOKS),
     reason='git hooks and config, shell startup files, editor tasks and schedulers run code later: not written by tools')

rule('protected-directory-moves', C('''
    Moving, renaming or copying a whole directory that the rules above recognise by name
    (.ssh, .aws, .kube, .docker, .github, .git, gcloud, gh, ...) would let its files be
    reached under another name, or plant a prepared one: refused at both ends.'''),
     tools=MOVE_TOOLS, when=any_of(SINGLE, PROTDIRS),
     reason='moving, renaming or copying a protected directory would expose or replace its files under another name')

rule('text-editor-writes', C('''
    The text-editor tool of Anthropic-style servers reads and writes through one tool name;
    only its `view` command is a read. (Credentials are refused for every command above.)'''),
     tools=['str_replace_based_edit_tool', 'str_replace_editor'],
     when=lambda: (w('    when:'), w('      all:'), w('        - {not: {arg: command, eq: view}}'),
                   w("        - {arg: path, matches: '%s'}" % WRITEPROT)),
     reason='SSH keys, agent instructions, CI workflows and hooks are not written through the editor tool')

rule('protected-files-in-pushed-lists', C('''
    Tools that write a list of files in one call (the GitHub server's push_files:
    files[].path) are checked on elements 0 to 31, longer lists are refused by the next rule.
    Other write tools taking lists are NOT checked element by element.'''),
     tools=W_TOOLS, when=any_of(FILES, WRITEPROT),
     reason='a pushed file is an SSH, agent instruction, CI workflow or hook file: not written by tools')

rule('pushed-lists-too-long-to-check', C('''
    A 33rd file could not be checked: refuse the list rather than pass it unchecked.'''),
     tools=W_TOOLS, when=lambda: w('    when: {arg: files.%d, exists: true}' % N),
     reason='more than %d files in one write call cannot be checked; split the call' % N)

# ---- resources ---------------------------------------------------------------------------
RES_NC = ['*::$' + ci('data')] + [ci('file') + ':*%' + x + '*' for x in ('2[fF]', '5[cC]')]
rule('resource-non-canonical', C('''
    resources/read: rules match a URI in the spelling a server reads (docs/policy.md): dot
    segments, repeated slashes and needless %XX are resolved before any rule, so only an
    escaped `/` or `\\` (kept escaped: %2F, %5C) and ::$DATA remain that could hide a name
    from the globs below from a server that decodes them. Those are refused outright.
    Case is spelled out as [sS][sS][hH]: paths keep their case.'''),
     resources=RES_NC,
     reason='URI with an escaped slash or backslash, or ::$DATA; use the plain resolved URI')

RES = []
for d in ['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.config/gcloud', 'legacy_credentials', 'run/secrets',
          'kubernetes.io~projected', 'kubernetes.io~secret']:
    RES.append('*/' + ci(d) + '/*')
for n in ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519']:
    RES.append('*/' + ci(n) + '*')
RES.append('*/' + ci('ssh_host_') + '*' + ci('_key'))
for x in ['pem', 'key', 'p12', 'pfx', 'p8', 'ppk', 'jks', 'keystore', 'kdbx', 'env']:
    RES.append('*.' + ci(x))
RES.append('*/' + ci('.env') + '.*')
for n in ['.envrc', '.netrc', '_netrc', '.git-credentials', '.gitcookies', 'git/credentials', '.npmrc', '.pypirc',
          '.cargo/credentials', '.cargo/credentials.toml', '.docker/config.json', '.gem/credentials',
          '.terraformrc', 'terraform.rc', 'credentials.tfrc.json', 'gh/hosts.yml', 'gh/hosts.yaml',
          'application_default_credentials.json', 'credentials.db', 'access_tokens.db',
          'serviceaccount/token', '.pgpass', '.my.cnf', '.vault-token', '.boto', '.s3cfg',
          '.m2/settings.xml', '.m2/settings-security.xml', '.gradle/gradle.properties', 'composer/auth.json',
          'rclone/rclone.conf', 'etc/shadow', 'etc/gshadow']:
    RES.append('*/' + ci(n))
RES.append('*' + ci('kubeconfig') + '*')
RES.append('*/' + ci('etc/kubernetes/') + '*.' + ci('conf'))
rule('resource-credentials', C('''
    The credentials of `credential-files`, as URIs of any scheme (file://, FILE://, custom).
    Globs have no exceptions, so here .env.example and SSH public keys are refused too, and
    a trailing slash is not normalised away.'''),
     resources=RES,
     reason='credentials and secrets (SSH and cloud keys, kube configs and tokens, .env files, .netrc, git and registry tokens) are off limits')

sys.stdout.write('\n'.join(out) + '\n')
