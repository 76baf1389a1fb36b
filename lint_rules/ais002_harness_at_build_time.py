"""AIS002 harness-at-build-time: a RUN executes a harness the image does not have.

## What it does
Finds `RUN` and `ONBUILD RUN` steps that execute a harness (`claude`, `codex`,
`gemini`, `opencode`) that the Dockerfile did not install earlier (an install as
AIS003 reads it, `npm_config_global=true npm i …`, `export npm_config_global=true` and the
stage's `ENV NPM_CONFIG_GLOBAL=true` too; one that only an ARG's `--build-arg`, a value not known
(`ENV npm_config_global=$G`), sudo's env_keep or a configuration file an earlier step may
write (`npm config set global true`, `COPY .npmrc /root/`) would make global is a possible one, a
warning):
in the same stage, a stage it is built from, or earlier in the same `RUN`. It follows `&&`,
`||`, `;`, pipes, subshells, `$( )`, backquotes (one nested in another with its backquotes
escaped, `` x=`\\`claude -v\\`` ``, as `$($(claude -v))`), wrappers with their options read as
getopt reads them (`sudo -iu node`, `-unode`, `--user=node`, `--us node`: getopt_long takes an
abbreviation; one of several of the tool's options, or of none, `sudo --l claude`, `env --ig
claude`, a letter not among its short options, `sudo -X claude`, `flock -X f claude`, and
`--flag=v` for one that takes no value, `env --debug=1 claude`, or two it refuses together,
`flock -F -o f claude`, it refuses: nothing runs (so does `setsid -c`: a RUN has no terminal;
env's options end at its first NAME=value word, `env A=1 -- claude` runs `--`; a wrapper that is a
program, and the shell's `exec`, run no command of the shell's own, `env exec claude`, `exec command
claude`: "not found"; bash's `exec -a NAME` is a warning, dash's exec has no options); the
table has the whole lists of `env`, `timeout`, `nice`, `nohup`, `xargs`, `stdbuf`, `flock`,
`setsid`, `ionice`, `taskset`, `prlimit`, GNU `time` and `fakeroot`; an optional value is only
attached, `xargs -eEND`, so `xargs -e claude` runs claude; sudo's are read as its parse_args
reads them, so a line it answers with its usage runs nothing: `sudo -U x claude`, `sudo -i -s
claude`, `-i -E`, `-AS`, `-C 2`, `-u` twice or empty, `--preserve-env=A=B`, `-a`/`-c`, `-v` or
`-kN` with a command; a value the tool refuses runs nothing either, read as it reads it: a
duration, a signal, a number and its range, a buffer mode, an I/O class, a CPU mask or list, a
resource limit, `nice -n x claude`, `timeout 5x claude`, `timeout -s FOO 5 claude`, `stdbuf -oX
claude`, `taskset zz claude`, `xargs -n 0 claude`, `prlimit --nofile=abc claude`, and one an
expansion gives, maybe empty, or one the system decides, `taskset 4`, `ionice -c 1`, is a warning:
`timeout "$T" claude`, `sudo -u "$U" claude`; not where the tool ignores a failed setting, `ionice
-t -c 1 claude` runs it) from one table
in aishell/shell.py: `sudo`, `doas`, `env`, `exec`, `command`, `timeout`,
`nice`, `ionice`, `nohup`, `setsid`, `stdbuf`, `time`, `xargs`, `flock FILE`
(and `flock FILE -c STRING`), `chroot DIR`, `unshare`, `nsenter`, `setpriv`,
`taskset`, `chrt`, `prlimit`, `gosu`, `su-exec`, `runuser -u`, `fakeroot`,
`tini`, `dumb-init`, `strace`, `eatmydata`, `numactl`, `chpst`, `setarch ARCH`, `faketime
TIME`, `torsocks`, `proxychains4`, `envdir DIR`, `ssh-agent`, `dbus-launch`, `chronic`, `lckdo
FILE`, `cgexec -g …`, `trickle`, `rlwrap` (after its flags; a value option or one it may have
and the table not, `rlwrap -X claude`, a warning), `softlimit` (`-m =`; a number may be too low:
a warning), and more (`bwrap`, `firejail` warnings: their namespaces may be refused; `ifne` a warning: it runs the command only on
input; so is GNU `parallel claude ::: a`: it runs it per argument, or per input line, maybe none,
and moreutils' `parallel` reads its words otherwise; and `parallel ::: claude 'codex -v'`, which
runs each argument as a command line), `corepack` before the package manager it runs (`corepack pnpm dlx …`), bash's `builtin command`/`builtin exec`
and `coproc` (warnings: dash has neither, and `coproc` runs in the background), and `find …
-exec CMD … {} +`; the
strings of `sh -c`, `bash -lc`, `eval` (one word or several), `trap 'CMD' EXIT`
(a `-c` string's `$1`, `$@`, `$0` are the RUN shell's own, expanded before the inner shell reads
it: `sh -c "$1" _ claude` runs what the RUN's `$1` holds, none on a RUN line; a value not known
is read as written, a warning at most; so is a variable the RUN assigned, `c='true; claude -v';
sh -c "$c"`, and the string is read as the script it becomes where it stands, after what ran
before it: `set -- 'npm i -g @anthropic-ai/claude-code'; sh -c "$1 && claude -v"` installs
first; a value of several commands read as one, `eval "$1"` of `npm i -g … && claude -v`, is a
warning at most, their order not known; a string read otherwise with the values put in, single
quotes inside double quotes too, `set -- claude; sh -c "'$1' -v"`, `sh -c "$@ -v"`, `sh -c $1`
of `claude -v` (its first field), a warning at most)
and of the options that take a command line, spelled as getopt reads them
(separate, attached, last in a cluster, `--opt=`): `env -S`/`--split-string`
(`env -iS'claude -v'`), `su -c` (`su -lc`, `su node -c`, `su node -- -c`),
`runuser -c`, `script -c` (`script -qc 'claude -v' /dev/null`), `sg GROUP -c`; scripts a
shell reads on its stdin: heredocs given to a shell (`RUN <<EOF`, `RUN bash
-e <<EOF`, `sh -s <<EOF`, `sh /dev/stdin <<EOF`, `. /dev/stdin <<EOF`,
`source /dev/stdin`, `su node <<EOF`, a wrapper's shell given no command, `sudo -s <<EOF`, `sudo -u
node -i <<EOF`, `doas -s <<EOF`, a second heredoc of the line:
`cat <<A > f && bash <<B`, a shell that is the one command of a `-c` string, which reads that
shell's stdin: `bash -c 'sh' <<EOF`, `echo claude -v | sh -c 'exec sh -e'`; a warning piped into a
subshell, `| ( sh )`; a subshell or group given the heredoc, `( sh ) <<EOF`, is not read), here-strings (`bash <<< 'claude -v'`), what `cat <<EOF`, `echo` or
`printf` pipe into `sh`/`bash -s --`, through `tee` or `cat` too (`cat <<EOF | tee f | sh`), a
script the RUN writes with them to a file and runs (`cat <<EOF > s.sh && sh s.sh`, `. ./s.sh`,
`sh < s.sh`, `./s.sh` after a `chmod +x`, a warning without: `>` keeps an older file's mode; read as
what the file holds when it runs: `>>` appends to it, `echo 'command -v claude || exit 0' > s.sh &&
echo claude -v >> s.sh` is one script; the last redirection of fd 1 wins, `echo claude -v > s.sh >
/dev/null` leaves it empty, and `cat 3<<EOF > s.sh` writes no heredoc; a warning at most where its
content is not sure: another command names it, its directory or an expansion, `cp`, `mv`, `sed -i`,
`curl -o`, `ln -sf`, `dd of=`, or a redirection writes it, `: > s.sh`, or the write may not run, in
a branch, a loop, after a test's `&&` of another list, `>>` onto a file the RUN did not write), a
script a `COPY <<EOF /s.sh` (or `ADD`) of the stage, or of a stage it is built FROM, wrote and a
later RUN runs (`sh /s.sh`, `. /s.sh`, `/s.sh` once `--chmod=755` or a `chmod +x` made it executable:
it is 0644 without, and nothing runs), reported where the heredoc calls the harness (a warning once
an earlier RUN named the file: it may have changed it), bash's
process substitution of one given to a shell or `.` (`bash <(echo claude -v)`, a warning: dash has
none), and
what a command substitution of one gives `sh -c` or `eval` (`sh -c "$(echo claude -v)"`; `sh -c
"$(cat)" <<EOF` runs an empty string: the substitution is made before the redirection) (their output: `echo` joins its words on one line,
`printf` fills its format, so `printf 'echo %s\\n' claude | sh` runs `echo`; a feeder whose
output goes elsewhere, `echo claude > /dev/null | sh`, feeds nothing; a shell reads on its stdin
what the last redirection of fd 0 gives it, `echo claude -v | sh < /dev/null`, `sh <<EOF <&-`: nothing,
and a heredoc on another fd, `sh 3<<EOF`, `cat 4<<EOF | sh`, is not its stdin; a shell given `-n`
(`-o noexec`), `--version`, bash's `-D`/`--dump-strings`, or an option it does not have (`bash
--posixx`, `dash -o pipefail`, `bash -e --posix`: bash takes long options only first) runs none of
it, and `sh` given one dash refuses is a warning: another image's sh may take it, as is `bash
--pretty-print`, which prints a script it reads on stdin and runs a `-c` string); the exec
form (`["/bin/sh", "-e", "-c", "…"]`), package runners (`npx -y`, `bunx`,
`pnpm dlx`, `npm exec`, `yarn dlx`, `deno run npm:…`, the tool's options before the verb too,
`npm --prefix /app exec`, `pnpm -C dir dlx`; a harness's package name is read as the
harness only there: `opencode-ai -v` run plainly is some other command; what a runner's `-c`/`--call`
string, or a shell or wrapper it runs, calls is a warning: npm puts the fetched packages' and the
project's `node_modules/.bin` on its PATH, `npx -p @openai/codex -c 'codex -v'`), a package manager that runs the project's
executable or script of a harness's name (`yarn exec claude`, `yarn claude`, `yarn run claude`,
`pnpm exec claude`, `pnpm claude`: a warning, the files copied in may hold it; not `yarn build`, a
script), a tool or environment manager's command (`poetry run`, `uv run`, `pipenv run`, `pdm run`,
`pixi run`, `bundle exec`, `mise exec … --`, `asdf exec`, `direnv exec DIR`, `volta run`, `fnm exec`, `nvm exec VERSION`, `hatch run`,
`conda`/`mamba`/`micromamba run`, `devbox run`, `flox activate --`, `guix shell --`, `nix
develop`/`nix shell -c`: a warning, its environment may provide the harness; each tool's options as
a table reads them, an option it does not hold reads nothing), the command lines `xargs` builds from input the RUN wrote (`echo claude | xargs -I % %
-v`, `printf '%s\\n' claude | xargs -n1 sh -c '"$0" -v'`) and a harness's entry script that
`node`, `bun` or `deno run` runs (`node /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js`,
`node node_modules/.bin/codex`: an error where `npm i -g` puts it, `/usr/lib/node_modules`,
`/usr/local/lib/node_modules` or `$(npm root -g)`, as the harness's command there, and nothing once files copied in,
an earlier command of the RUN (not a `set`: `set -e; node …/cli.js` is an error) or an earlier RUN that puts files in the package's directory (`curl -o
…/claude-code/cli.js`, `tar -xz -C …/claude-code`, `-C /usr/local/lib/node_modules`) may have put it there; a file elsewhere is judged as `./claude` is). A command named by an expansion runs what it holds: a
variable the RUN assigned (`c=claude; $c -v`, `"${c}"`, `c=$(echo claude)`, `d=$c` (each value of several), `export c=…` for a child shell,
which sees its own too (`sh -c 'c=claude; $c -v'`), as the body of `RUN <<EOF` does (the same
script as on the line, the same findings): they hold for the rest of its script as the top
level's do (`sh -c 'c=x; c=claude; y="$c"; $y -v'`), and not after it (`export c=echo; sh -c
'c=claude'; sh -c '$c -v'`: echo, or claude, a warning); a nested script (eval's string, a `sh -c`
string, a `$( )` body) reads the value a variable holds where it stands, not a later one
(`c=claude; eval "$c -v"; c=x` and `c=claude; x=$($c -v); unset c` run claude: warnings), and what eval's
string assigns may hold after it (`eval "c=claude"; $c -v`, a warning), `for c in
claude codex; do $c; done`, a `read` of lines the RUN wrote, each field of any line, `while read
-r c; do $c -v; done <<EOF`, `printf 'claude\\n' | while IFS= read -r c; do $c; done` (a loop's
value: a warning, but for one plain word, `for c in claude`); `unset c` unsets it), or the stage's ENV gives a value naming a harness
(`ENV C=claude` then `RUN $C -v`, `sh -c '$C -v'`: the RUN's environment, sure until the RUN
assigns or unsets it; inherited FROM a stage; the value as BuildKit gives it, quotes and escapes
taken out, `ENV C=cla"ude"`, and the variables earlier ENVs set expanded, `ENV D="$C -v"`) or an ARG's default (`ARG C=claude`: a warning, a
`--build-arg` may replace it; BuildKit passes a stage's ARGs on to the stages built FROM it, not
to others), a positional parameter (`set -- claude; "$@"`, the others its words: `f() { "$@" &&
claude -v; }; f npm i -g @anthropic-ai/claude-code` installs first, `sh -c 'exec "$@"' _
claude`, `sh -c '"$0"' claude`, a function's body at each call with the call's words (`f() {
"$1" -v; }; f claude`, bash's `function f { "$1" -v; }` too; none after `unset -f f`, maybe none
after bash's `unset f`); after a `shift`: `set -- x claude; shift; "$@"` runs claude, and a
`shift` or `set --` that may not run (`if false; then set -- claude; fi`, `true && set -- claude`)
leaves them not known; `set` with operands after its options sets them too (`set -e true`, `set -o
errexit true`, `set -ex -- true`), and an `eval` of a string that may (`eval "set -- true"`, one
holding an expansion), `command set -- x` or `builtin shift` leave them not known, one in a subshell or a pipeline's command is gone after it (`(set --
claude); "$@"` runs nothing), and after one past them (dash ends there, bash
goes on) a harness is a warning; built from the ones before: `set -- claude; set --
"$@" -v; "$@"`, and a RUN's own script, the body of `RUN <<EOF` or `sh -c STRING` given none has
none: `set -- claude "$@"; "$@"`), what a feeder writes (`$(echo claude) -v`) or a lookup prints
(`$(which claude) -v`, `$(command -v claude) -p x`, bash's `$(type -P claude)`: the harness's path,
or nothing, and then the next word is the command, which fails too), a name joined from text and
such variables (`c=cl; ${c}aude -v`, `$a$b`, `$c"aude"`, `${c}${v:+x}aude`, `${v%e}e`), read so as a
variable's value too (`x=${c}aude; $x`, `CLI=${CLI:-claude}; "$CLI" --version`), and a default or
alternative (`${TOOL:-claude}`, `${TOOL-claude}`, `${TOOL:=claude}`, `${TOOL:+claude}`, `${v:-$c}`) by what the
RUN assigned the variable (`TOOL=; ${TOOL:-claude}` runs claude, `TOOL=codex; …` codex) or the positional
parameter (`${1:-claude}` on a RUN's line, which has none), a pattern removed (`c=claude.sh; ${c%.sh}`,
`${c##*/}`, `${1#x}`; with a bracket expression, which dash and bash read differently, a warning at most),
an empty one unquoted being no word (`c=; $c claude -v` runs claude, `c=; $c $c claude -v`, `sh -c 'c=;
$c claude -v'` too, `"$c" claude` runs nothing; one that may be empty, `[ -f x ] && c=; $c claude
-v`, a warning: unset, the base image's value); a value it may hold
or not (assigned in a condition, a loop or after `||`, or several: of more than four,
those naming a harness are kept, `for c in a b c d claude`; one a subshell or a pipeline's
command assigns is gone after it, `(c=claude); $c`, `echo claude | read c; $c` run nothing) is a warning, and so
is one assigned after a test's `&&` (`[ -f x ] && c=claude; $c`: unset, `$c` runs nothing; the same
again, `…; [ -f y ] && c=claude; $c`, too), with that reason given, unless
its use fails either way (`$c -v`: unset, the shell runs `-v`) or runs only with it (`… && c=claude
&& $c`), and so
is a default of a variable the RUN did not assign (an ENV, an ARG or the base image may set it),
a command line a variable holds (`c1="$c0 -v"; $c1`: split by IFS), and an alias's (`alias c=claude` then `c` on a later line: dash expands it, bash in a script does not).
A name spelled in bash's quoting (`$'claude'`, `$'\\x63laude'`, `c$"laude"`) is the name bash
runs, a warning: dash, Debian's /bin/sh, reads `$'…'` as `$` and a string (`$claude`, not
found). A value is its own text: an expansion's value keeps its quotes and backslashes, and a
`;`, `=` or newline in it ends no command and assigns nothing (`c='cl\\aude'; $c`, `set --
'c\\laude'; $1` and `x=c\\\\laude; $x` run `cl\\aude` or `c\\laude`: not found), and in double quotes a
backslash escapes only `$`, `` ` ``, `"`, `\\` and a newline (`"cl\\aude" -v` runs `cl\\aude`; `"$(echo
c\\\\laude)"` keeps the substitution's own, and `'$(echo claude)'` is no substitution). Arguments are not commands: `echo
claude`, `ls /opt/claude`, `command -v claude` (or `-pv`), `sudo -l claude`,
`doas -C conf claude` and a wrapper's help or version (`nice --help claude`, `flock -V f claude`,
`timeout --vers 5 claude`: it prints them and exits) are fine, and so are words bash reads as one, with
parentheses inside: arithmetic (`echo $((1+1)) claude`) and array assignments
(`tools=(claude codex)`, `declare -a a=(claude)`), whose `$( )` alone run; neither
is a heredoc written to a file (`cat > f <<'SH'`; an unquoted one's `$( )` and backticks do
run as the shell reads the body, quotes or not: `cat <<EOF > f` with `echo '$(claude -v)'` in
it, and a shell fed an unquoted body runs what that reading leaves, `\\$(claude -v)` included, `\\$c`
as `$c`, and what its `$( )` or backticks of an `echo`, `printf` or `which` of plain words write
(`sh <<EOF` with `$(echo claude) -v` or `cl$(echo aude) -v` runs claude), and a `$c` of a variable the body assigns with the feeding shell's value, not the
body's (`sh <<EOF` with `c=claude; $c -v` runs `-v`), its `$1`, `"$@"`, `$#` the feeding shell's
parameters (`sh <<EOF` with `set -- claude; "$@"` runs `""`) and its `$c` that shell's variable
(`c=claude; sh <<EOF` with `$c -v` runs claude), a backslash-newline joining its lines; a shell
fed a body has the operands after `-s` as its parameters (`bash -s claude <<'EOF'` with `"$@"`),
a child shell the variables exported to it, `. /dev/stdin` all of the shell's;
only a RUN whose line is one heredoc alone, `RUN <<EOF`, has its body run as it is, and a
line of redirections alone, `RUN <<A <<B` or `RUN <<EOF ;`, runs no body), a function definition
(`claude() { …; }`), or a script for another interpreter (`#!/usr/bin/env python3`).

A SHELL whose program is a harness (`SHELL ["claude", "-p"]`, `["/usr/bin/env", "codex"]`) runs
it in every RUN of the shell form after it: it is reported at the SHELL, once such a RUN follows
in its stage.

A harness the Dockerfile provides itself is no error (lint_rules/_provides.py,
shared with AIS004, says what a Dockerfile puts on PATH; a heredoc the line runs, `bash <<EOF &&
claude -v`, `cat > f <<EOF && sh f && claude -v`, provides at its place in the line, though its
text comes after it; not a function or PATH it sets, which stay in its shell): a `COPY`/`ADD` of a
file of that name into a PATH directory (`COPY claude /usr/local/bin/`,
`COPY --from=builder /out/claude /usr/local/bin/claude`, `ADD https://…/claude
/usr/local/bin/claude`, `COPY --parents bin/claude /usr/local/`: the parents come along), a download, link, copy or redirection that creates
it (`curl -o`, `curl -O --output-dir`, `wget -O`, `wget -P`, `aria2c -d`, `ln -s`, `cp`, `rsync`,
`install`, their `-t DIR`/`--target-directory=DIR`, `> /usr/local/bin/claude`, `tee`; a
relative destination resolved against the WORKDIR: `WORKDIR /usr/local/bin` then `ln -s /bin/true
claude`, or a download saved under the URL's name there, `curl -O`, `wget URL`; a destination read
as posixpath.normpath reads it, `COPY claude /usr/local/bin/.`, `cp -t /usr/local/bin/./`,
`/usr/local/../local/bin/claude`, where a `..` out of `/bin`, `/sbin` or `/lib`, links into /usr on a
merged /usr, is a warning), a global npm install of its
local package (`npm i -g ./anthropic-ai-claude-code-1.0.0.tgz`), a shell function defined
earlier in the same `RUN` (unless an `unset` of it comes between: `claude() { :; }; unset -f
claude; claude -v` runs the harness, if the `unset` ran, a warning; and only in the shell that
defines it: not in a new process, `claude() { :; }; sh -c claude`, `bash -c`, `su -c`, `flock -c`,
`xargs sh -c`, `find -exec`, where the harness runs, nor after a subshell or another process that
defined it ended, `(claude() { :; }); claude`, `sh -c 'claude() { :; }'; claude`, a pipeline's
element or a list run in the background among them, `claude() { :; } | true; claude`, `{ claude()
{ :; }; } | cat`, `claude() { :; } &`; where a bash may
import it, `export -f`, `declare`, `set -a`, a `BASH_FUNC_` variable, or a substitution comes between,
`sh -c "$(claude)"`, it counts as before, as it does past 32 definitions still open around one
call, each nested in a subshell or compound the one before it opened), and a command named by a path outside the PATH
directories (`./claude`, `node_modules/.bin/claude`, `/app/bin/claude`) once
files were copied into the image or an earlier command of the `RUN` ran. Where
it is only probably provided (a package of its name installed by a package manager
aishell does not read: `brew install --cask claude-code`, `mise use -g
npm:@anthropic-ai/claude-code`, `apt-get install -y claude`, or named after it, whose
executables aishell does not know: `npm i -g claude-cli`, `pip install claude_tools`; a package an expansion names,
whose value aishell does not read: `npm i -g $PKG`, `for p in …; do npm i -g $p; done`, `apt-get install -y
$(cat packages.txt)`, `xargs npm i -g < packages.txt`, or a command an expansion names (`$INSTALL $PKG`,
`$INSTALL @anthropic-ai/claude-code`); a local project installed
globally, `npm link`, `pip install .`; a directory's contents copied onto PATH by a RUN,
`cp -r tools/. /usr/local/bin/`, `rsync -a tools/ /usr/local/bin/`; a directory, glob or local
archive copied onto PATH, a git repository added onto or above it (`ADD https://…/tools.git
/usr/local/bin/`: its files are not known), a file of its name, a directory or a glob copied to a destination not known (relative to a WORKDIR spelled with a
variable or escape, `WORKDIR $D`, `WORKDIR ${D:-/usr/local/bin}`, or naming a variable: `COPY
claude $D/`), a file a RUN makes at a path whose name or directory an expansion gives (`for t in
claude codex; do ln -s /opt/$t /usr/local/bin/$t; done`, `cp /opt/claude "$BIN/claude"`, `curl -o
"/usr/local/bin/${name}"`, `echo x > /usr/local/bin/$n`, `xargs -I{} ln -s /opt/{} /usr/local/bin/{}`:
any name, in any directory; not `/usr/local/bin/claude-$V`), a download whose name the server
gives (`curl -OJ`, `wget --content-disposition`), an archive unpacked there, a global install of another local package,
another `bin` directory, an alias, bash's `hash -p FILE claude`, a bash that first reads a file an
earlier step may write (`$BASH_ENV`, set by an ENV or the RUN, for a bash SHELL or a `bash` of the
RUN; a login bash, `SHELL ["/bin/bash", "-lc"]` or `bash -lc`, once a step wrote a profile file:
`> /etc/profile.d/claude.sh`, `COPY claude.sh /etc/profile.d/`), `chmod +x
/usr/local/bin/claude` alone, a function behind `sudo`, a path with nothing
copied in, a file of its name made at a relative path after a `cd` of the RUN (the cwd is then
not known), in a directory an `ENV PATH=` added, one a `RUN --mount` of the RUN puts on PATH (a bind or cache
mount onto a PATH directory, one above it or the file: `--mount=from=tools,src=/out,dst=/usr/local/bin`;
a tmpfs is empty), or anywhere once the RUN assigns PATH itself:
`export PATH=/opt/x:$PATH`, `PATH=…;`; for the steps after it, what a RUN installs or makes
with a `--mount` onto or above the install's directories (`--mount=type=tmpfs,target=/usr/local/lib/node_modules
npm i -g …`: what is written under a mount stays out of the image); or after a command that runs code of the project's own,
which aishell does not read (after it in the same RUN: a later command of its list, `./setup.sh
&& claude -v`, not one beside it in a pipeline, `make | claude -p …`, nor a line of a file the RUN
wrote before running it, nor the shell that runs such a file, `sh f`: aishell reads the file; in
a later RUN of the stage, or of a stage built FROM it): a script it ships (`./setup.sh`, one
named like a system utility outside the system's bin folders, `./install`, `bin/test`,
`sh /tmp/install-claude.sh`, `python3 install.py`, `node install.js`), a build tool (`make install`,
`npm run setup`), configuration management (`ansible-playbook`), a local package (`dpkg -i`), a
file sourced into the shell, a shell or interpreter fed a script aishell does not read (`curl … |
sh`, `wget -qO- … | bash -s --`, `curl … | sudo -E bash -`, `curl … | python3 -`, `sh < <(curl …)`,
`bash <<< "$(curl …)"`, `sh < /tmp/i.sh`, `cat /tmp/i.sh | sh`, `sh -c "$(curl …)"`, `eval "$(curl
…)"`: a pipe from anything but `echo`, `printf` or `cat` of text aishell reads, or a file the RUN did
not write with them), a positional parameter whose value aishell does not know naming a command in a
nested script (`set -- 'npm i -g …'; x=$($1 && claude -v)`: a `$( )` body's parameters are not
read), the finding is a warning.

An error means the build fails: the harness command's exit status must decide the RUN's (it
ends the script, or an `&&` chain that does, or `set -e`/`sh -e` is in effect, or the stage's
`SHELL ["/bin/bash", "-eo", "pipefail", "-c"]` turns errexit or pipefail on, or the `#!/bin/sh -e`
line of a `RUN <<EOF` script, which BuildKit runs as a file: one reader of a
shell's options serves `sh -c -e`, `set -e`, SHELL and `#!` lines). A shell with noexec reads
commands without running them: none after a `set -n` or `set -o noexec` decides (in a branch or
a function too), and a SHELL with `-n` runs nothing (a warning at most). A `#!` line is read as
the kernel reads it, for `RUN <<EOF` and for a file the RUN writes and runs by its path: the rest
of the line is the program's one argument (`#!/bin/sh -e -u`, `#!/bin/bash -o pipefail` and
`#!/usr/bin/env bash -e` run nothing; `#!/usr/bin/env -S bash -e` splits it), and a script whose
line names another program, or a shell with `-n`, runs no shell command (no finding), and one
that names a shell is run by it, with its options (`#!/bin/bash -e` then `./s.sh`: bash reads it,
its syntax too, with errexit; `sh s.sh` reads the line as a comment, and a file without one is
run by the shell that executes it); a shell
that reads a script on its stdin (`sh <<'EOF'`) reads the line as a comment. A harness command in a condition, before
or after `||`, behind `!`, before a `|` (no pipefail), in the background (`&`), in `$( )` (but the
last substitution of a command of assignments only, `x=$(claude -v)`, gives it its status: an error
where it decides, errexit going into it under dash, not under bash) or a
process substitution (`cat <(claude -v)`), `find
-exec` or a `trap`, behind a wrapper that may not run it or does not pass its exit status on
(`xargs -r`/`-I` run nothing without input; `setsid` forks unless `-w`; `sudo -b`, and sudo's
`-C`, `-D`, `-R`, `-T`, `-r`, `-t`, which sudoers or SELinux may refuse; `script -c` without `-e`), followed by more commands without `set -e` (or where it may be off: a `set +e` in a
branch, a loop or a function called before it, `eval 'set +e'`, `set +$o`), behind a test's `&&` with more
commands after its list (`set -e; command -v claude && claude -v; echo ok`: a failing test
ends the list without ending the shell, so claude may never run; in a `{ }` group or an `if`
body too, whose status errexit then ignores), or after a command of its shell that
may end the shell first (`exit`, `exec CMD`, `return`, `.`/`source`, a function of the script or
an `eval` that may: in any branch or loop before it, not in a subshell or pipeline) or after a
trap whose action runs as the shell ends (`trap 'exit 0' EXIT`, `0`, `exit`; bash's ERR, DEBUG,
RETURN; until `trap - EXIT` resets it), is a warning (not where it surely runs: after a first
command that surely fails, `false || claude -v`, `! true || claude -v`, while `false && claude -v`
runs none; the body of `for c in claude; do $c -v; done`, one plain word and no `break` or
`continue`, which runs once; the list of a `case` of a plain word whose first matching pattern is
plain, `*` and `?` read as the shell reads them, `case x in y) …;; x|z) claude -v;; esac`); so is every harness
command after a SHELL that is not a POSIX shell run as `SHELL -c` (`pwsh`, `cmd`,
`/usr/bin/env bash -c`). So is a harness command in a script a shell reads on its stdin after a
command of it that may read stdin (`bash <<'EOF'` with `read x`, `cat > /dev/null`, `head -1` or
`x=$(head -1)`, then `claude -v`: bash reads such a script a byte at a time, and the reading
command takes the lines after it; not after one with its own `<` or a pipe into it, nor `echo`,
`cd`, `mkdir` or a test; nor in dash, which holds a body of up to 4 KB whole before it runs a
command of it, nor in `. /dev/stdin`, which reads it whole; a `sh` may be bash), and every harness
command of a script dash runs (the RUN's line under the default SHELL, `sh -c`, a body fed to
`sh`) that holds bash's syntax: dash refuses `<<<`, `|&`, `<(…)` and `a=(…)` as syntax errors
(nothing of the line runs), stops at `${a[0]}`, `${x/a/b}`, `${x:1}`, `${x,,}` ("Bad
substitution") and runs `[[` as a command that is not found (`[[ -d / ]] && claude -v` runs no
claude, in a `{ }` group or a function's body too); under `SHELL ["/bin/bash", "-c"]`, in `bash -c`
or a body fed to bash, bash's reading applies (and bash's `function f { …; }`, `function f() { …;
}` define f, where dash runs `function`, not found, and refuses the `}`: nothing of the line runs).
A call of a function of the script runs its body in its shell: where the call's status decides
(`f() { claude -v; }; f`, under `set -e` anywhere it surely runs), so does the body's, as if it
were there, with the caller's `set -e` where the call has it (`set -e; f() { claude -v; echo ok; };
f` ends at claude; not after `&&`, `!` or in a condition, where errexit is ignored), (the body as
the call finds it: not one defined after the call, in a subshell, in a
branch that may not run or behind a test's `&&`, nor after `unset -f f`, nor past an `eval`, `.`,
`source` or `trap` (its action runs when the signal comes), which may redefine it, however spelled or reached (`command eval`, `"eval"`, a name
an expansion or an alias makes), or where an alias has its name; a function it calls as it is
at the call; not through `sh -c f`, whose shell has no functions). What runs before a call runs
before its body: a harness call in the body of a function a top-level item defines is judged at
the first call after the definition whose status decides, else at the first call (`f() { claude
-v; }; npm i -g @anthropic-ai/claude-code; f` has no error: the install runs first; `f() { claude
-v; }; f; npm i -g …; f` neither, the first call's failure ignored; under `set -e` it is one; `f()
{ "$@" && claude -v; }; f ./install.sh` a warning, as written out). A script run in its shell or
a subshell sees the functions defined before it: a `$( )` or backquotes, eval's string, a value
read as a command, a trap's action, a file or stdin `.` runs (`f() { "$1" -v; }; x=$(f claude)`
runs claude). A definition in a subshell,
a branch or after `&&`/`||` may leave the one before it: a call reads both bodies, a warning at
most (`f() { "$1" -v; }; ( f() { true; } ); f claude` runs claude); one run in the background
(`f() { true; } &`) defines it in a subshell, and the name keeps its body. A command followed by `(`
(`timeout 5 ( claude -v )`) neither shell takes: a warning at most, and so is one after an empty
compound list or a `;` with no command before it (`( )`, `{ }`, `if x; then fi`, `do done`, `f()
{ }`, `; claude -v`, `true; ; claude -v`: syntax errors to both shells, nothing of the line runs). So
is a harness on a base image not known to lack it (any but `aishell:foundation`, `scratch` and
Docker's official images; stages FROM it inherit that), and a directory copied onto or above a
PATH directory (a source that is a directory: one ending in `/` or `.`, a `bin`, or a name without
an extension, a dot-folder's leading dot none, copied to a PATH directory or one above it written without a final `/`, `COPY tools
/usr/local/bin`, `COPY --from=tools /usr /usr`, `COPY --from=h /root/.local /root/.local`; any source copied where
an `ENV PATH=` names a directory inside the destination, `COPY --from=h /opt/claude /opt/claude` with
/opt/claude/bin on PATH; COPY destinations are resolved against the WORKDIR, and one not resolved may be a PATH
directory; `ENV PATH=` entries count, set before the COPY or after it, and so does a RUN's own
`PATH=/opt/claude/bin:$PATH` once files were copied in), an archive unpacked or a repository cloned onto or
above one (`tar -xz -C /usr/local`, `unzip -d /opt` or `git clone URL /opt/tools` with /opt/tools/bin
on PATH, the ENV before or after the RUN).
A harness reached through a package runner
is a warning: the runner downloads what it does not find, so the step may
succeed (with a harness fetched into it); after a project-local install
(`npm install @anthropic-ai/claude-code`, then `npx claude`) it is fine; so is one a package
manager runs from the project (`yarn exec claude`, `yarn claude`): a warning, the files copied in
may hold it, fine after that install. A
harness run plainly where PATH names a directory that project install or the files
copied in may fill (`node_modules/.bin`, or an entry not resolved: relative, with a
variable), set by an `ENV PATH=` or in the RUN (`PATH=./node_modules/.bin:$PATH
claude`, `export PATH=$PWD/node_modules/.bin:$PATH`), is a warning too. An
`ONBUILD RUN` does not run in its own stage: it runs when another image
is built FROM this one, after all of this stage's steps, and first in each stage of the same
Dockerfile built FROM this stage (BuildKit runs a base stage's triggers as an image's,
moby/buildkit#5490). It installs nothing for its own stage, what it installs is there in the
stages built FROM it (and theirs), as what the stage's other triggers put on PATH is (`ONBUILD COPY
claude /usr/local/bin/`, `ONBUILD ADD`, `ONBUILD RUN ln -s …`, `ONBUILD WORKDIR /usr/local/bin` then
a relative link), and a harness it runs is fine when this stage installs it
anywhere. Where a stage the default build surely builds is built FROM its stage, it runs in this
build, with this stage's last SHELL, and is judged as that RUN is (`FROM base AS a`, `ONBUILD RUN
claude -v`, `FROM a`: an error); otherwise it is a warning (not an error). Any finding in a stage the default build does not
build is a warning too: BuildKit builds the last stage and the stages it needs (FROM, `COPY
--from=`, `RUN --mount=…,from=`, by name in any case or by index), and skips the others (a
`FROM aishell:foundation AS test` stage no later stage uses). Scripts nested more than 64 levels deep (or, together, over twice as
long as the RUN plus what it may take from the file's pool of 64 KiB plus twice the file) are
not followed; a stored value read past that is read only in part, as a script that may not run
(a warning).

A RUN line holding a carriage return inside it (BuildKit drops only the one before a line break)
is read with it as a blank, though the shell reads it as a character of a word (`true\\r&& claude
-v` runs `true\\r`, not found, and never claude): a harness call on such a line is a warning at
most, naming the carriage return.

## Why is this bad?
Harnesses are no longer part of any image. They live in the harness volume,
which is mounted only when a container runs, so at build time the command
fails with "command not found". Checking a harness at build time also ties
the extension image to one harness version, which is what the three tiers
exist to prevent.

## Example
```dockerfile
FROM aishell:foundation
RUN apt-get update && claude --version && apt-get install -y jq
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN apt-get update && apt-get install -y jq
```
Run harness checks in the container, after `aishell build`, for example in an
entrypoint hook or a test.

## Fix safety
Unsafe. The fix drops the command from its list (with the `&&`/`;` that joined
it) or drops the whole `RUN` when nothing else is left. Every other list keeps
its terminator: a `&` before the command stays with the list it sends to the
background (`sleep 9 & claude -v` becomes `sleep 9 &`, not a `sleep` the build
waits for), and a command that begins its list goes with the operator after it
(`a; claude -v && b` becomes `a; b`, not `a && b`). A command that shares a
pipeline with others gets no fix, wherever it stands in it: removing its stage
changes what the others do (`claude -v | tee /v` would leave `tee /v` reading
the RUN's input, and `yes | claude -p x` a `yes` that never ends). Nor does a
command the rest of its list depends on: an operand of `||` (`claude -v || exit
1` would leave `exit 1`, a build that always fails), one that writes a file
(`claude -p x > out; cat out`), one sent to the background that a later `wait
"$!"` waits for. Where later steps relied on what it did otherwise, the
behaviour changes.
Commands nested in `sh -c` strings, subshells or control structures get no fix,
and under a `SHELL` that is no POSIX shell (`pwsh`, `cmd`: their own grammar,
where `&` runs or calls the next command) only a fix that removes the whole
`RUN` is offered.
A heredoc the removed command opens (`RUN claude -p <<EOF && echo ok`) goes with
it, body and terminator; the only line of a body the RUN's line feeds to a shell (`cat <<EOF | sh`)
goes with the RUN only where that line is one pipeline (`cat <<EOF | sh && echo ok` gets no fix); a removal that would take a comment line between the
continuations with it gets no fix; a `RUN` removed whole takes the comment lines
directly above it (they belong to it: a `# aishell: ignore=` there would
otherwise land on the next instruction), and, continued to the end of the file (`RUN claude -v \\`
as the last line of code), the blank and comment lines after it, which BuildKit reads as its
own. Every fix is checked before it is
applied (the result must parse into the expected instructions, heredocs and
comments in place); one that fails is reported as not fixable.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter, itemgetter

from aishell.findings import UNSAFE, Edit, Example, Fix, Violation
from aishell.harness import (
    BY_EXECUTABLE,
    GLOBAL_NODE_MODULES,
    HARNESS_WORDS,
    SCRIPT_RUNNERS,
    _echoes_name,
    entry_harness,
    global_entry,
    INSTALL_TOOLS,
    find_install,
    find_install_shared,
    installs,
    mentions_in,
    package_harness,
    script_operand,
)
from aishell.rule import RuleContext
from aishell.model import key_values
from aishell.shell import (
    DEFAULT_SHELL,
    PROJECT_RUNNER,
    STAGE_FILES,
    TOOL_RUNNER,
    RunWalk,
    failing_starts,
    _PlainSpans,
    _RowSpans,
    _adds_x,
    _digit_named,
    _digit_words,
    analyse_run,
    fed_line,
    shell_instruction,
    tokenize,
)
from aishell.lint_rules._edits import clean_run, drop_item, drop_run_after, removes_run
from aishell.lint_rules._copies import copy_words, rel_below, workdir_after
from aishell.lint_rules.ais003_harness_installed_in_extension import _assigned, _exports
from aishell.lint_rules._npm_env import reading, stage_envs
from aishell.lint_rules import _edits, _provides
from aishell.lint_rules._provides import _QUOTED, fed_stages, version_key, warn_where_unbuilt
from aishell.lint_rules._provides import (
    CERTAIN,
    PATH_DIRS,
    after_run,
    base_indices,
    copy_provides_at,
    parents_sources,
    directory_level,
    expanded_global,
    install_bound,
    _NODE_INSTALLERS,
    instruction_provides,
    may_provide,
    may_run_project_code,
    package_writes,
    project_code_before,
    _MAY_RUN_CODE,
    mentions_harness as may_mention_harness,
    run_provides,
    stage_values,
    trees_written,
)

CODE = "AIS002"
NAME = "harness-at-build-time"
SEVERITY = "error"
FIX_AVAILABILITY = "sometimes"

VALID = [
    Example("FROM aishell:foundation\nRUN echo claude && ls /opt/claude && grep gemini /etc/hosts\n", name="arguments"),
    Example(
        "FROM aishell:foundation\nRUN apt-get install -y foo-codex && command -v claude || true\n",
        name="package names and lookups",
    ),
    Example(
        "FROM node:24\nRUN npm install -g @anthropic-ai/claude-code\nRUN claude --version\n",
        name="installed earlier in the stage",
    ),
    Example(
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM tools\nRUN codex --help\n",
        name="installed in the parent stage",
    ),
    Example(
        "FROM node:24\nENV NPM_CONFIG_GLOBAL=true\nRUN npm install @anthropic-ai/claude-code\nRUN claude -v\n",
        name="installed globally through the stage's npm_config_ environment (AIS003 reports the install)",
    ),
    Example('FROM aishell:foundation\nCMD ["claude"]\n', name="run-time command"),
    Example(
        'FROM aishell:foundation\nRUN while read -r c; do echo "$c"; done <<EOF\nclaude\nEOF\n',
        name="a value read from a heredoc and only printed",
    ),
    Example(
        "FROM aishell:foundation\nRUN command -pv claude || sudo -l claude || sudo --lis claude || true\n",
        name="lookups, not runs (`--lis`: sudo's --list, the one option it abbreviates)",
    ),
    Example(
        "FROM aishell:foundation\nRUN nice --help claude && flock -V /tmp/l codex && timeout --vers 5 gemini\n",
        name="a wrapper's help or version runs nothing",
    ),
    Example(
        "FROM node:24\nWORKDIR /app\nRUN npm install @anthropic-ai/claude-code && npx claude --version\n",
        name="a project-local install run through npx",
    ),
    Example(
        "FROM node:24\nONBUILD RUN claude --version\nRUN npm i -g @anthropic-ai/claude-code\n",
        name="ONBUILD runs after this stage, which installs it",
    ),
    Example(
        "FROM aishell:foundation\nRUN npm i -g @openai/codex && codex --version\n",
        name="installed earlier in the same RUN (AIS003 reports the install)",
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\ncat > /usr/local/bin/ai <<'SH'\n#!/bin/sh\nexec claude \"$@\"\nSH\n"
        "chmod +x /usr/local/bin/ai\nEOF\n",
        name="a heredoc written to a file is data",
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\n#!/usr/bin/env python3\nimport subprocess\nsubprocess.run(['claude'])\nEOF\n",
        name="a heredoc for another interpreter",
    ),
    Example(
        "FROM aishell:foundation\nCOPY --from=builder /out/claude /usr/local/bin/\nRUN claude --version\n",
        name="copied onto PATH by the Dockerfile",
    ),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://example.com/claude -o /usr/local/bin/claude \\\n"
        " && chmod +x /usr/local/bin/claude && claude --version\n",
        name="downloaded onto PATH first",
    ),
    Example("FROM aishell:foundation\nRUN claude() { echo stub; }; claude --version\n", name="a shell function"),
    Example(
        "FROM aishell:foundation\nCOPY . /app\nWORKDIR /app\nRUN npm ci && node_modules/.bin/claude --version\n",
        name="a file of the image named by its path",
    ),
    Example(
        "FROM aishell:foundation\nRUN echo claude | grep -q c && doas -C /etc/doas.conf claude\n",
        name="doas -C checks a rule, runs nothing",
    ),
    Example(
        "FROM aishell:foundation\nCOPY claude /usr/local/bin/.\nRUN cp /opt/codex /usr/local/./bin/\n"
        "RUN claude -v && codex -v\n",
        name="a destination with `.` segments is the directory it names",
    ),
    Example(
        "FROM aishell:foundation AS base\nONBUILD COPY claude /usr/local/bin/\nFROM base\nRUN claude -v\n",
        name="a base stage's ONBUILD COPY runs first in a stage built FROM it",
    ),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://example.com/c.js --create-dirs"
        " -o /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js\n"
        "RUN node /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js -v\n",
        name="an entry script an earlier RUN downloaded where `npm i -g` puts it",
    ),
    Example(
        "FROM aishell:foundation\nRUN echo 'claude -v' | sh -s < /dev/null && sh 3<<'EOF'\nclaude -v\nEOF\n",
        name="stdin redirected after the pipe, a heredoc on fd 3: the shells read nothing",
    ),
    Example(
        "FROM aishell:foundation\nRUN echo 'claude -v' > /tmp/s.sh > /dev/null && sh /tmp/s.sh\n",
        name="the last redirection of fd 1 wins: the script is empty",
    ),
    Example('FROM aishell:foundation\nRUN set -- claude; shift; "$@"\n', name="shift drops the positional parameter"),
    Example(
        "FROM aishell:foundation\nENV C=claude\nRUN unset C; $C --version\n",
        name="the RUN unsets the ENV's variable first",
    ),
]

INVALID = [
    Example(
        "FROM aishell:foundation\nRUN claude -v || true\n",
        "FROM aishell:foundation\nRUN true\n",
        name="`|| true`: its failure does not fail the RUN (a warning)",
        spans=((2, 5, 2, 11),),
    ),
    Example(
        "FROM ghcr.io/anthropics/claude-code:latest\nRUN claude --version\n",
        "FROM ghcr.io/anthropics/claude-code:latest\n",
        name="an image not known to lack it may have it (a warning)",
        spans=((2, 5, 2, 11),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /usr/local/bin\nCOPY . .\nRUN claude --version\n",
        "FROM aishell:foundation\nWORKDIR /usr/local/bin\nCOPY . .\n",
        name="a COPY destination resolved against WORKDIR (a warning)",
        spans=((4, 5, 4, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN claude --version\n",
        "FROM aishell:foundation\n",
        name="only command",
        spans=((2, 5, 2, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update && claude --version && apt-get install -y jq\n",
        "FROM aishell:foundation\nRUN apt-get update && apt-get install -y jq\n",
        name="middle of a chain",
        spans=((2, 23, 2, 29),),
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update \\\n    && codex --version\n",
        "FROM aishell:foundation\nRUN apt-get update\n",
        name="last in a continued chain",
        spans=((3, 8, 3, 13),),
    ),
    Example(
        "FROM aishell:foundation\nRUN sudo -u node env HOME=/home/node gemini --version; echo done\n",
        "FROM aishell:foundation\nRUN echo done\n",
        name="behind wrappers",
        spans=((2, 38, 2, 44),),
    ),
    Example(
        "FROM aishell:foundation\nRUN bash -lc 'opencode --version'\n",
        None,
        name="inside bash -lc: reported, no fix",
        spans=((2, 15, 2, 23),),
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\nset -e\nclaude --version\napt-get update\nEOF\n",
        "FROM aishell:foundation\nRUN <<EOF\nset -e\napt-get update\nEOF\n",
        name="heredoc script",
        spans=((4, 1, 4, 7),),
    ),
    Example(
        'FROM aishell:foundation\nRUN ["codex", "--version"]\n',
        "FROM aishell:foundation\n",
        name="exec form",
        spans=((2, 7, 2, 12),),
    ),
    Example(
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM node:24\nRUN codex --help\n",
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM node:24\n",
        name="installed in an unrelated stage",
        spans=((4, 5, 4, 10),),
    ),
    Example(
        "FROM aishell:foundation\nRUN claude --version && codex --version\n",
        "FROM aishell:foundation\n",
        findings=2,
        name="two harnesses",
        spans=((2, 5, 2, 11), (2, 25, 2, 30)),
    ),
    Example(
        "FROM aishell:foundation\nRUN gosu node claude --version\n",
        "FROM aishell:foundation\n",
        name="gosu",
        spans=((2, 15, 2, 21),),
    ),
    Example(
        "FROM aishell:foundation\nRUN runuser -u node -- gemini --version && echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="runuser",
        spans=((2, 24, 2, 30),),
    ),
    Example(
        'FROM aishell:foundation\nRUN su -c "codex --help" node\n',
        None,
        name="su -c: reported, no fix",
        spans=((2, 12, 2, 17),),
    ),
    Example(
        'FROM aishell:foundation\nRUN eval "opencode --version"\n',
        None,
        name="eval: reported, no fix",
        spans=((2, 11, 2, 19),),
    ),
    Example(
        "FROM aishell:foundation\nRUN bash -euo pipefail <<EOF\nclaude --version\napt-get update\nEOF\n",
        "FROM aishell:foundation\nRUN bash -euo pipefail <<EOF\napt-get update\nEOF\n",
        name="heredoc given to a shell with options",
        spans=((3, 1, 3, 7),),
    ),
    Example(
        'FROM aishell:foundation\nRUN ["/bin/sh", "-e", "-c", "claude --version"]\n',
        None,
        name="exec form with options: reported, no fix",
        spans=((2, 30, 2, 36),),
    ),
    Example(
        "FROM aishell:foundation\nRUN npx -y @anthropic-ai/claude-code --version\n",
        "FROM aishell:foundation\n",
        name="package runner",
        spans=((2, 12, 2, 37),),
    ),
    Example(
        "FROM aishell:foundation\nRUN yarn exec claude --version\n",
        "FROM aishell:foundation\n",
        name="a package manager running the project's executable (a warning)",
        spans=((2, 15, 2, 21),),
    ),
    Example(
        "FROM aishell:foundation\nRUN sudo -u node -i <<EOF\nclaude --version\nEOF\n",
        "FROM aishell:foundation\n",
        name="the heredoc of a shell sudo starts",
        spans=((3, 1, 3, 7),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY <<EOF /setup.sh\nclaude --version\nEOF\nRUN sh /setup.sh\n",
        None,
        name="a script a COPY heredoc wrote, run by a later RUN: reported in the heredoc, no fix",
        spans=((3, 1, 3, 7),),
    ),
    Example(
        "FROM aishell:foundation\nRUN echo claude | xargs -I % % --version\n",
        None,
        name="the command xargs builds from its input (a warning: -I runs nothing without input)",
        spans=((2, 10, 2, 16),),
    ),
    Example(
        "FROM aishell:foundation\nRUN for c in a b c d claude; do $c --version; done\n",
        None,
        name="a variable of many values, one naming a harness (a warning)",
        spans=((2, 33, 2, 35),),
    ),
    Example(
        "FROM aishell:foundation\nRUN pnpm dlx @google/gemini-cli --version; echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="pnpm dlx",
        spans=((2, 14, 2, 32),),
    ),
    Example(
        "FROM aishell:foundation\nONBUILD RUN claude --version\n",
        "FROM aishell:foundation\n",
        name="ONBUILD RUN (a warning: it runs in the builds FROM this image)",
        spans=((2, 13, 2, 19),),
    ),
    Example(
        "FROM aishell:foundation AS base\nONBUILD RUN claude --version\nFROM base\nRUN make\n",
        "FROM aishell:foundation AS base\nFROM base\nRUN make\n",
        name="ONBUILD RUN triggered by a stage built FROM it (an error: it runs in this build)",
        spans=((2, 13, 2, 19),),
    ),
    Example(
        "FROM aishell:foundation\nRUN cat <<EOF | sh\nset -e\nclaude --version\nEOF\n",
        "FROM aishell:foundation\nRUN cat <<EOF | sh\nset -e\nEOF\n",
        name="a heredoc piped into a shell",
        spans=((4, 1, 4, 7),),
    ),
    Example(
        "FROM aishell:foundation\nRUN bash <<< 'codex --version'\n",
        None,
        name="a here-string given to a shell: no fix",
        spans=((2, 15, 2, 20),),
    ),
    Example(
        "FROM aishell:foundation\nRUN flock /tmp/lock ionice -c3 claude --version && echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="wrappers with operands and attached values",
        spans=((2, 32, 2, 38),),
    ),
    Example(
        "FROM aishell:foundation\nRUN find / -maxdepth 0 -exec gemini --version \\;\n",
        None,
        name="find -exec: no fix",
        spans=((2, 30, 2, 36),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY tools/ /usr/local/bin/\nRUN claude --version\n",
        "FROM aishell:foundation\nCOPY tools/ /usr/local/bin/\n",
        name="a directory copied onto PATH may hold it (a warning)",
        spans=((3, 5, 3, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update \\\n# install jq\n && claude --version \\\n && apt-get install -y jq\n",
        "FROM aishell:foundation\nRUN apt-get update \\\n# install jq\n && apt-get install -y jq\n",
        name="a comment line between the continuations stays",
        spans=((4, 5, 4, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN claude -p <<EOF && echo ok\nsummarise the repo\nEOF\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="the heredoc the command opens goes with it",
        spans=((2, 5, 2, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN cat > /f <<EOF && claude --version; echo done\nhello\nEOF\n",
        "FROM aishell:foundation\nRUN cat > /f <<EOF ; echo done\nhello\nEOF\n",
        name="`<<EOF` is not glued to the `;` after it",
        spans=((2, 23, 2, 29),),
    ),
    Example(
        "FROM aishell:foundation\n# check the harness\nRUN claude --version\nRUN echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="the comment above a removed RUN goes with it",
        spans=((3, 5, 3, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN sudo -iu node claude --version\n",
        "FROM aishell:foundation\n",
        name="sudo with clustered options",
        spans=((2, 19, 2, 25),),
    ),
    Example(
        "FROM aishell:foundation\nRUN eval claude --version\n",
        None,
        name="eval of several words: no fix",
        spans=((2, 10, 2, 16),),
    ),
    Example(
        "FROM node:24\nONBUILD RUN npm i -g @openai/codex\nRUN codex --version\n",
        "FROM node:24\nONBUILD RUN npm i -g @openai/codex\n",
        name="an ONBUILD install is not an install for this build",
        spans=((3, 5, 3, 10),),
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update && make all 2>&1 | claude -p summarize && echo ok\n",
        None,
        name="in a pipeline: no fix (its stage gone, the others would do something else)",
        spans=((2, 39, 2, 45),),
    ),
    Example(
        'FROM aishell:foundation\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN claude -v | tee /log\n',
        None,
        name="SHELL with pipefail: its failure fails the RUN (an error)",
        spans=((3, 5, 3, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN printf '' | xargs -r claude -v\n",
        None,
        name="`xargs -r` may run nothing (a warning; in a pipeline, no fix)",
        spans=((2, 26, 2, 32),),
    ),
    Example(
        "FROM aishell:foundation\nRUN ssh-agent -t 60 gemini --version && echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="ssh-agent runs its command",
        spans=((2, 21, 2, 27),),
    ),
    Example(
        "FROM aishell:foundation\nRUN node /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js -v\n",
        "FROM aishell:foundation\n",
        name="a harness's entry script run by node, where `npm i -g` puts it",
        spans=((2, 5, 2, 9),),
    ),
    Example(
        "FROM aishell:foundation\nRUN corepack pnpm dlx @openai/codex --version\n",
        "FROM aishell:foundation\n",
        name="a package runner behind corepack (a warning)",
        spans=((2, 23, 2, 36),),
    ),
    Example(
        "FROM aishell:foundation\nRUN ${TOOL:-claude} --version\n",
        None,
        name="a default of a variable an ENV, an ARG or the base image may set (a warning)",
        spans=((2, 5, 2, 20),),
    ),
    Example(
        "FROM aishell:foundation\nRUN bash -c 'sh' <<EOF\nclaude --version\nEOF\n",
        "FROM aishell:foundation\n",
        name="a shell a `-c` string runs reads the outer shell's stdin (an error)",
        spans=((3, 1, 3, 7),),
    ),
    Example(
        "FROM aishell:foundation\nENV C=claude\nRUN $C --version\n",
        None,
        name="a command the stage's ENV names (an error)",
        spans=((3, 5, 3, 7),),
    ),
    Example(
        "FROM aishell:foundation\nARG C=claude\nRUN ${C} --version\n",
        None,
        name="a command an ARG's default names: a --build-arg may replace it (a warning)",
        spans=((3, 5, 3, 9),),
    ),
    Example(
        "FROM aishell:foundation\nRUN TOOL=; ${TOOL:-claude} --version\n",
        None,
        name="a default the RUN surely gives (an error)",
        spans=((2, 12, 2, 27),),
    ),
    Example(
        "FROM aishell:foundation\nRUN c=cl; ${c}aude --version\n",
        None,
        name="a name joined from a variable the RUN assigned (an error)",
        spans=((2, 11, 2, 19),),
    ),
    Example(
        'FROM aishell:foundation\nRUN c=claude; eval "$c -v"; c=x\n',
        None,
        name="eval's string reads the value where the eval is, not a later one (a warning)",
        spans=((2, 21, 2, 23),),
    ),
    Example(
        'FROM aishell:foundation\nRUN eval "c=claude"; $c -v\n',
        None,
        name="what eval's string assigns may hold after it (a warning)",
        spans=((2, 22, 2, 24),),
    ),
    Example(
        "FROM aishell:foundation\nRUN $(which claude) --version\n",
        None,
        name="a lookup's output run as the command (an error: with nothing found, `--version` fails)",
        spans=((2, 13, 2, 19),),
    ),
    Example(
        "FROM aishell:foundation\nRUN x=$(claude --version)\n",
        None,
        name="an assignment's last command substitution (an error: its status is the command's)",
        spans=((2, 9, 2, 15),),
    ),
    Example(
        "FROM aishell:foundation\nRUN parallel codex ::: --version\n",
        "FROM aishell:foundation\n",
        name="GNU parallel (a warning)",
        spans=((2, 14, 2, 19),),
    ),
    Example(
        'FROM aishell:foundation\nRUN parallel ::: "claude -v"\n',
        None,
        name="GNU parallel running each argument as a command line (a warning)",
        spans=((2, 19, 2, 25),),
    ),
    Example(
        "FROM aishell:foundation\nRUN node $(npm root -g)/@anthropic-ai/claude-code/cli.js -v\n",
        "FROM aishell:foundation\n",
        name="a harness's entry script under `$(npm root -g)`, where `npm i -g` puts it",
        spans=((2, 5, 2, 9),),
    ),
    Example(
        "FROM aishell:foundation\nRUN claude() { :; }; unset -f claude; claude -v\n",
        "FROM aishell:foundation\nRUN claude() { :; }; unset -f claude\n",
        name="a shell function of its name unset before it: the harness runs (a warning)",
        spans=((2, 39, 2, 45),),
    ),
    Example(
        "FROM aishell:foundation\nRUN claude() { :; }; sh -c claude\n",
        None,
        name="a shell function of its name, which the new shell of `sh -c` does not have",
        spans=((2, 28, 2, 34),),
    ),
    Example(
        "FROM aishell:foundation\nRUN (claude() { :; }); claude -v\n",
        "FROM aishell:foundation\nRUN (claude() { :; })\n",
        name="a shell function of its name defined in a subshell that has ended",
        spans=((2, 24, 2, 30),),
    ),
    Example(
        'FROM aishell:foundation\nSHELL ["/bin/bash", "-c"]\nENV BASH_ENV=/etc/bash_env\nRUN claude --version\n',
        'FROM aishell:foundation\nSHELL ["/bin/bash", "-c"]\nENV BASH_ENV=/etc/bash_env\n',
        name="bash reads $BASH_ENV first, which may define it (a warning)",
        spans=((4, 5, 4, 11),),
    ),
    Example(
        "FROM aishell:foundation\nRUN . /dev/stdin <<EOF\nclaude --version\nEOF\n",
        "FROM aishell:foundation\n",
        name="a heredoc the current shell reads on its stdin",
        spans=((3, 1, 3, 7),),
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\nc=claude\n$c --version\nEOF\n",
        None,
        name="a variable the body of `RUN <<EOF` assigns (an error, as on the line: the same script): no fix",
        spans=((4, 1, 4, 3),),
    ),
    Example(
        'FROM aishell:foundation\nRUN CLI=${CLI:-claude}; "$CLI" --version\n',
        None,
        name="a variable given a default that names it (a warning: an ENV or ARG may set it)",
        spans=((2, 25, 2, 31),),
    ),
]


# A package's name is a harness only where a package runner runs it (`npx -y opencode-ai`): run
# plainly, `opencode-ai -v` is a command of that name, which no harness's package installs (its
# executable is `opencode`), and was an error even where the Dockerfile made it (`COPY opencode-ai
# /usr/local/bin/`, `opencode-ai() { :; }`). tests/test_ais002_r68a_package_names.py turns it off.
PACKAGE_BY_RUNNER = True


def _harness(cmd):
    """The harness a command runs: by executable name, or by package (`npx -y @openai/codex`;
    asked for a command a package runner runs, PACKAGE_BY_RUNNER)."""
    found = BY_EXECUTABLE.get(cmd.name)
    if found is not None or not cmd.argv:
        return found
    word = cmd.argv[0]
    found = _PACKAGES.get(word, _LATER)
    if found is _LATER:  # (package_harness is a function of the word: a RUN repeats its words)
        if len(_PACKAGES) >= _MEMO_MAX:
            _PACKAGES.clear()
        found = _PACKAGES[word] = package_harness(word)
    return found


_PACKAGES: dict = {}  # first word -> package_harness of it


def _entry_command(cmd, script, files, local, maybe=frozenset(), text=None):
    """(harness, the command as judged) for a script runner that runs a harness's file (`node
    /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js`), at the runner's word; None
    for any other or one the image may hold. `deno run npm:…` is a package runner; a file where
    `npm i -g` puts it is judged as the harness's command on PATH (an error where nothing may have
    put it there: neither files copied in nor an earlier command of the RUN); a file elsewhere as
    `./claude` is, and none after a project-local install of the harness. ``maybe``: what is
    probably on PATH, with the harnesses whose package an earlier RUN wrote files in
    (`_PACKAGE_FILES`: `curl -o …/claude-code/cli.js`, `tar -xz -C …/claude-code`). ``text``: the
    file's, where an earlier command that makes no file (`set -e`: _makes_no_file) is passed over."""
    entry = script_operand(cmd.name, cmd.argv)
    if entry and entry[0] in "$`":
        entry = global_entry(entry)  # `node $(npm root -g)/@anthropic-ai/claude-code/cli.js`
    harness = entry_harness(entry) if entry else None
    if harness is None or not cmd.spans or cmd.spans[0] is None:
        return None
    if entry.startswith("npm:"):
        return harness, cmd._replace(argv=[entry, *cmd.argv[1:]], runner=True)
    a = cmd.spans[0][0]
    if harness.name in local or any(n == harness.name and at < a for n, at in _local_installs(script)):
        return None  # `npm install <harness>`, then `node node_modules/<harness>/…`
    if entry.startswith(GLOBAL_NODE_MODULES):
        if files or _PACKAGE_FILES + harness.name in maybe:
            return None
        if any(
            c.end is not None and c.end <= a and not (text is not None and _makes_no_file(text, c))
            for c in script.commands
        ):
            return None  # (`set -e; node …/cli.js`: the `set` put nothing there)
        exe = harness.executables[0]
        return harness, cmd._replace(argv=[exe, *cmd.argv[1:]], name=exe)
    word = entry if "/" in entry else "./" + entry  # a file (`node claude` reads ./claude)
    return harness, cmd._replace(argv=[word, *cmd.argv[1:]], name=word.rsplit("/", 1)[-1])


def _runs(ins):
    """The RUN an instruction executes: itself, or the RUN an ONBUILD carries."""
    if ins.keyword == "RUN":
        return ins
    if ins.keyword == "ONBUILD" and ins.sub is not None and ins.sub.keyword == "RUN":
        return ins.sub
    return None


_NAMES = frozenset(BY_EXECUTABLE)
# The characters an expansion that names a command starts with (`$c`, `"$c"`, `` `echo c` ``): an
# error there needs the status walk's command at that start to be the finding's (failing_starts' named).
_EXPANSION_STARTS = frozenset('$"`')


_NOTHING = (frozenset(), frozenset(), [])
_new = tuple.__new__


# A RUN with heredocs whose source (line and bodies: the text run_provides reads) has no path, no
# redirection, no function, alias, `hash` or profile, and whose commands (the bodies' among them) create
# no file and install nothing, provides nothing: its effect without reading it (tests/
# test_ais002_fast.py compares the general path).
HEREDOC_NOTHING = True
# ... and one whose line is a shell alone reading its one heredoc on its stdin (`RUN bash <<EOF`:
# shell.fed_line) is told by its body alone: the shell, a name of may_provide's (it may run the
# project's code), runs only the body, which the rule reads (a file of 330,000 `RUN bash <<EN`
# of `claude -v` read each for what it provides). tests/test_fed_line_fast.py compares it (False).
FED_NOTHING = True


class _Body:
    """What may_provide reads of a script (its commands): a fed body's, without the line's shell."""

    __slots__ = ("commands",)

    def __init__(self, commands):
        self.commands = commands


# A RUN of installs only whose every harness run_provides may give it installs surely
# (_provides.install_bound) is not read by run_provides: `RUN npm install -g
# @anthropic-ai/claude-code@1.0.3` (tests/test_installs_only_fast.py compares the findings with
# this off).
INSTALLS_ONLY = True


def _heredoc_provides_nothing(df, ins, script) -> bool:
    text = df.text
    if FED_NOTHING and fed_line(ins, script) is not None:
        # (The body and its terminator line: the line's words, a shell's path among them, are
        # no provision; an empty body is no fed one.)
        doc = (_runs(ins) or ins).heredocs[0]
        return not may_provide(text[doc.line_offsets[0] : ins.end], _Body(script.commands[1:]))
    return not may_provide(text[ins.start : ins.end], script)


def _provided_by_step(df, ins, script, place=("/", frozenset()), npm=None):
    """(harnesses surely, probably on PATH once the COPY, ADD or RUN ``ins`` has run, and for a RUN
    what it provides along the way: ``_provides.run_provides``); ``place``: the WORKDIR (None:
    not known) and the directories an ENV put on PATH; ``npm``: the npm_config_ variables of the
    stage (_npm_env)."""
    sure: set[str] = set()
    maybe: set[str] = set()
    provisions = None
    if script is None:
        found = instruction_provides(df, ins, _NAMES)
    elif not ins.heredocs and not may_provide(ins.logical, script) and not (npm and _may_npm(ins)):
        return _NOTHING  # `RUN claude --version`: no tool that creates files, no path, no function
    elif (
        ins.heredocs and HEREDOC_NOTHING and not (npm and _may_npm(ins)) and _heredoc_provides_nothing(df, ins, script)
    ):
        return _NOTHING  # `RUN <<EOF` of `claude -v` and `echo 1`: the same, with the bodies read
    else:
        for name, _, certain in _installs(script, df.text, True, npm):
            (sure if certain else maybe).add(name)
        source = df.text[ins.start : ins.end]
        if (
            INSTALLS_ONLY
            and script.commands
            and script.commands[0][7] in _NODE_INSTALLERS  # (install_bound's first test, without its call)
            and (bound := install_bound(source, script, _NAMES)) is not None
            and bound <= sure
        ):
            # Installs only, each harness they may provide surely installed (`npm i -g
            # @anthropic-ai/claude-code@1.0.3`): run_provides adds nothing to ``sure`` (_check_run
            # reads it when it asks: provisions None).
            found = {}
        else:
            provisions = run_provides(source, ins.start, script, _NAMES, *place)
            found = after_run(provisions)
        maybe.update(_PACKAGE_FILES + name for name in package_writes(source, script, place[0]))
        if "profile" in source:
            maybe.add(_PROFILE)  # (what a login bash reads: _sourced)
    for exe, level in found.items():
        (sure if level == CERTAIN else maybe).add(BY_EXECUTABLE[exe].name)
    if sure and script is not None and ins.flags and _mount_keeps_nothing(_runs(ins) or ins, place[0]):
        # Installed into a mount (`--mount=type=tmpfs,target=/usr/local/lib/node_modules npm i -g
        # …`): there for the RUN (AIS003 reports it), maybe gone after it.
        maybe |= sure
        sure = set()
    return sure, maybe - sure, provisions


# Fast path (issue 18): a RUN's findings and what it provides are a function of its source text
# and of what is on PATH before it, so a RUN text met again in the same state (a chain of stages
# each running `claude --version`) reuses them, moved to where it is, without reading its
# script again. Only for RUNs without heredocs whose findings and edits lie inside the RUN; an
# edit that removes the whole RUN is worked out again where it is (it takes the comments above).
# tests/test_ais002_fast.py checks it against the general path (_MEMO False) on generated files.
_MEMO = True
_PART = 1024  # instructions of a stage read and checked at a time (see _check); None: the whole stage
_GATE = True  # tests/test_lint_chain_fast.py compares the rule with and without the text's gate


def _names_harness(text: str) -> bool:
    """aishell.harness.mentions_in of the whole text, the common spelling first (a file that
    names a harness mostly does so early: no lower-cased copy of it)."""
    if "claude" in text or "codex" in text or "gemini" in text or "opencode" in text or mentions_in(text):
        return True
    # (`cl$(echo aude)` in an unquoted heredoc body: may_mention_harness's _echoes_name.)
    return "<<" in text and ("$(" in text or "`" in text) and _echoes_name(text)


_MEMO_TEXT = 4096  # longer RUNs are rarely repeated: read each time
_MEMO_MAX = 4096  # entries per table; forgotten all at once past it
_WHOLE = object()  # a fix that removes the whole RUN


# RUNs that differ only in the digits of words `echo` or `:` prints (`RUN echo 7 && claude -v`,
# `RUN echo 8 && claude -v`) are one RUN for the memo above (DIGIT_RUNS): keyed by the text with
# each digit made `0` (its length, and every other character, as they are), their findings and
# what they provide are the first one's, moved. Only for a RUN on one line of plain words (letters,
# digits and `./:@%+,-`), commands joined by `&&`, `||`, `;` or `&` (no quote, `$`, `=`, pipe,
# redirection, parenthesis, brace, glob, comment, alias or exec): the words that hold a digit are
# all digits, each an argument of a command whose first word is `echo` or `:`, which print it (or
# nothing) to the RUN's output, read by no command; no reader, walk or check reads those digits.
# A class whose findings name a digit is read RUN by RUN. A file of 400,000 distinct `RUN echo N
# && claude -v` read and checked each (issue 18). tests/test_ais002_digits_fast.py compares with
# it off on generated files.
DIGIT_RUNS = True
_DIGITS = "digits"  # (the first element of its keys)
_VERSIONS = "versions"  # (the first element of _provides.VERSION_DIGITS' keys)
_DIGIT = re.compile(r"[0-9]")
_ZEROS = str.maketrans("123456789", "000000000")
_ZERO_BYTES = bytes.maketrans(b"123456789", b"000000000")  # (an ASCII text's key, as bytes: no look-up per character)
_DIGIT_WORD = re.compile(r"[A-Za-z0-9_./:@%+,-]+", re.ASCII)
_DIGIT_OPS = re.compile(r"&&|\|\||;|&")
# (A character no RUN of the class holds, searched first: a RUN of digits elsewhere, `npm i -g
# …@1.0.3`, `echo "3" > /f`, pays a search, not a key; a heredoc's line has its `<<`. Quotes and
# `<` pass them for QUOTED_MARKS, and `$` the heredoc's: with it off, _digit_line and
# _DIGIT_DOC_LINE refuse them as they refuse any character past a plain word's.)
_DIGIT_ODD = re.compile(r"[$\\>|(){}`#=*?\[\]~!]")
_DIGIT_DOC_ODD = re.compile(r"[\\>|(){}`#=*?\[\]~!]")


def _digit_class(z: str, a: int) -> bool:
    """Whether a RUN of one line whose text with its digits made `0` is ``z`` (its arguments from
    ``a``) is one DIGIT_RUNS keys so: see there."""
    return "0" not in z[:a] and "alias" not in z and "exec" not in z and _digit_line(z[a:])


def _digit_line(line: str) -> bool:
    """Whether ``line`` (its digits made `0`) is commands of plain words joined by `&&`, `||`, `;`
    or `&`, each word that holds a digit all digits and an argument of `echo` or `:` (DIGIT_RUNS)."""
    for piece in _DIGIT_OPS.split(line):
        words = piece.split()
        if not words or len(words) > 64:
            return False  # (an operator with no command before it, or after it)
        first = words[0]
        for k, w in enumerate(words):
            if _DIGIT_WORD.fullmatch(w) is None:
                if QUOTED_MARKS and (first == "echo" or first == ":") and _QUOTED_MARK.fullmatch(w) is not None:
                    continue  # (QUOTED_MARKS: a quoted word echo prints, digits or not)
                return False
            if "0" in w and (k == 0 or (first != "echo" and first != ":") or w.strip("0")):
                return False
    return True


# ... and so are the RUNs of one heredoc that differ only in such digits of its body (`RUN <<EOF`
# of `claude -v` and `echo 7`) or in the digits of its delimiter (`RUN bash <<E7` of `claude -v`,
# ended by `E7`), keyed by the RUN's text, line and body, with each digit made `0`
# (DIGIT_HEREDOCS): the line is `<<WORD` or plain words then `<<WORD` (no quote, `-`, digit but the
# delimiter's), the body lines as DIGIT_RUNS takes a RUN's line (or blank); what the delimiter is
# decides only where the body ends, the same line for all (no body line is one word with a digit).
DIGIT_HEREDOCS = True
_DIGIT_DOC_LINE = re.compile(r"(?:[A-Za-z_./-][A-Za-z_./-]*[ \t]+)*<<([A-Za-z_][A-Za-z0-9_]*)[ \t]*", re.ASCII)


def _digit_heredoc(z: str, ins) -> bool:
    """Whether a RUN of one heredoc whose text with its digits made `0` is ``z`` is one
    DIGIT_HEREDOCS keys so: see there."""
    if "alias" in z or "exec" in z or "0" in z[: ins.args_start]:
        return False
    m = (_QUOTED_DOC_LINE if QUOTED_MARKS else _DIGIT_DOC_LINE).fullmatch(ins.logical.translate(_ZEROS), ins.args_start)
    if m is None:
        return False
    doc = ins.heredocs[0]
    if doc.chomp or doc.fd != 0:
        return False
    lines = doc.content.translate(_ZEROS).split("\n")
    if lines[-1] != "":
        return False
    return all(
        not line.strip() or _digit_line(line) or QUOTED_MARKS and "$" in line and _named_line(line)
        for line in lines[:-1]
    )


# ... and so are the RUNs that differ only in the digits of a quoted word `echo` or `:` prints, one
# of letters, digits, `_.-` and `<` between `'` or `"` (`RUN echo '<<X7' && claude -v`: nothing in
# it expands, no option of echo holds a digit, printed to the RUN's output as DIGIT_RUNS' words
# are), on a RUN's line or a heredoc's body line; the RUNs of one heredoc whose delimiter is quoted
# (`RUN <<'E7'` ended by `E7`, of letters, digits and `_`: what it is decides only where the body
# ends, as DIGIT_HEREDOCS' does, and its quotes are in every RUN of the key); and heredoc body lines
# that name a parameter (`claude -v $x`: `$` then a letter, as a RUN's line may; the rule reads a
# value only where it names a harness, the RUN's ``staged``, never memoised; no `$_`, whose value
# is the line before's last word, nor `$1`). Whether a quoted `<<` opens a heredoc the parser
# decides for each RUN (the memo takes RUNs of none or one); it reads a line holding `<<` the long
# way, its offsets a range, not None (one line all the same). benchmarks/scale.py's
# quoted_heredoc_marks read and checked every RUN: 3.6 s at 1 MB, 30.8 s CPU at 10 MB (issue 18;
# 0.8 s and 5.7 s with it). tests/test_quoted_marks_fast.py compares with it off.
QUOTED_MARKS = True
_QUOTED_MARK = re.compile(r"'[A-Za-z0-9_.<-]*'|\"[A-Za-z0-9_.<-]*\"", re.ASCII)
_QUOTED_DOC_LINE = re.compile(
    r"(?:[A-Za-z_./-][A-Za-z_./-]*[ \t]+)*<<(?:[A-Za-z_][A-Za-z0-9_]*|'[A-Za-z0-9_]+'|\"[A-Za-z0-9_]+\")[ \t]*",
    re.ASCII,
)
_NAMED = re.compile(r"\$(?![A-Za-z])")  # (a `$` not before a letter: `$_`, `$1`, `${`, `$(`)
_DOLLARS = str.maketrans("$", "_")


def _named_line(line: str) -> bool:
    """Whether a heredoc's body line (its digits made `0`) is one QUOTED_MARKS takes for naming
    parameters: _digit_line's with each `$`, before a letter, a word's character."""
    return _NAMED.search(line) is None and _digit_line(line.translate(_DOLLARS))


# ... and the RUNs of one line the shell reader keys so itself (DIGIT_WIDE: aishell/shell.py's
# DIGIT_MEMO and DIGIT_READ class, _digit_words): the words of `echo` and `:` within double quotes,
# after a `$` name (`$HOME7`), of other characters than digits (`x7`, `-7`), printed to a file or
# into `[sudo] tee`, and the lone word of `yarn build7`, `env 7` (DIGIT_SCRIPTS, DIGIT_ENV), when
# every digit of the line is in such a word and none right after a `$`. The rule reads those words
# only as the reader passes them on (echo's and `:`'s arguments, printed where no command reads
# them; a project script's name that is no subcommand nor harness; a command of digits alone, no
# harness), and a finding naming a digit is the RUN's own (_names_digit). The refused lines of
# benchmarks/scale.py (`echo "7" > /f && claude -v`, `claude -v && yarn build7`) were read and
# checked RUN by RUN (issue 18). tests/test_ais002_digits_fast.py compares with it off.
DIGIT_WIDE = True
_WIDE_ODD = re.compile(r"['\\(){}<`#]|alias|exec|\$[0-9]")  # (shell.py's _DIGIT_ODD, and a digit after `$`)
_WIDE_MAX = 1024  # (shell.py's _DIGIT_MAX)


def _digit_wide(z: str, a: int) -> bool:
    """Whether a RUN of one line whose text with its digits made `0` is ``z`` (its arguments from
    ``a``) is one DIGIT_WIDE keys so: see there."""
    s = z[a:]
    if "0" in z[:a] or len(s) > _WIDE_MAX or _WIDE_ODD.search(s) is not None or not _digit_named(s):
        return False
    got = _digit_words(s)
    if got is None:
        return False
    toks, _, free = got
    return sum(toks[k].text.count("0") for k in free) == s.count("0")  # (every digit in a word so made)


# A RUN that spells a variable its stage's ENV or ARG gives a value naming a harness (``staged``:
# `ENV C=claude`, `RUN $C -v`) is read with those values (shell.analyse_run's ``staged``): its
# findings and what it provides are a function of its text and of the values it reads, so the
# memo above keys it by both (STAGED_MEMO): the text, and each variable's name, values and
# whether an ENV set it (sure), in the order the text spells them. Not for a RUN with heredocs or
# one that runs a file a COPY heredoc of the stage wrote (STAGE_FILES: read RUN by RUN). Each RUN
# of `ENV C=claude` then `RUN $C -v`, repeated, was read and walked again: 67.8 s CPU at 10 MB,
# 6.7 s with it (benchmarks/scale.py's env_redefined_runs). tests/test_staged_memo_fast.py
# compares with it off.
STAGED_MEMO = True
_STAGED = "staged"  # (the first element of its keys)

# ... and RUNs that differ only in the digits of the one variable they read by a name with digits
# (`RUN $C17 -v`, `RUN $C23 -v`, both `claude`, or both of no value the rule knows) share one key
# (STAGED_DIGITS): the text and that name with their digits made `0` (lengths, and every other
# character, as they are), the values as they are. Only for a RUN without quote, backslash or
# backquote (so on one line: no continuation), `$$` or `#`, whose every digit is in the name of a
# plain `$NAME` or `${NAME}`, one such name (read once or more): the two RUNs are then one RUN
# with a variable renamed everywhere it is written, its values the same. No reader, walk or check
# gives a name with digits a meaning of its own (the names they treat apart hold none: PATH, IFS,
# HOME, BASH_ENV, npm_config_*), and against a name without digits it sorts as its zeroed form
# does. A finding that names a digit (`$C17` quoted in a message) is the RUN's own (_names_digit).
# Each of `ENV Cn=claude`, then `RUN $Cn -v` for each (and for as many names more that no ENV
# sets), was read and walked: 46.9 s CPU at 10 MB, 5.9 s with it (benchmarks/scale.py's
# env_names_runs). tests/test_staged_memo_fast.py compares with it off.
STAGED_DIGITS = True
_STAGED_DIGITS = "staged digits"
_STAGED_ODD = re.compile(r"['\\`#]|\$\$")
_STAGED_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _staged_key(source: str, staged: dict) -> tuple:
    """The step memo's key of a RUN of text ``source`` read with ``staged`` (STAGED_MEMO; its
    digits made `0` when it is of STAGED_DIGITS' class)."""
    held = tuple([(name, tuple(values), sure) for name, (values, sure) in staged.items()])
    if STAGED_DIGITS and _DIGIT.search(source) is not None:
        named = _digit_name(source)
        if named is not None:
            return (
                _STAGED_DIGITS,
                source.translate(_ZEROS),
                tuple([(name.translate(_ZEROS) if name == named else name, v, s) for name, v, s in held]),
            )
    return (_STAGED, source, held)


def _digit_name(source: str) -> str | None:
    """The one variable name that holds the digits of ``source`` (a RUN's text), each in a plain
    `$NAME` or `${NAME}` of it; None when the RUN is not of STAGED_DIGITS' class."""
    if _STAGED_ODD.search(source) is not None:
        return None
    found = None
    covered = 0
    for m in _STAGED_REF.finditer(source):
        name = m.group(1) or m.group(2)
        if _DIGIT.search(name) is None:
            continue
        if found is None:
            found = name
        elif name != found:
            return None
        covered += len(name) - len(name.translate(_NO_DIGITS))
    if found is None or covered != len(source) - len(source.translate(_NO_DIGITS)):
        return None  # (a digit outside such a name: `RUN $C1 -v 2>/dev/null`)
    return found


_NO_DIGITS = str.maketrans("", "", "0123456789")


# The effect of an ONBUILD RUN on its own stage: nothing (it runs in a stage built FROM this one).
# One tuple for all, read only: two empty sets each held 500 bytes an ONBUILD RUN for the whole
# stage (a stage of ONBUILD RUNs is read whole: 90 MB at 10 MB of `ONBUILD RUN npm i -g …`).
_TRIGGER_EFFECT = (frozenset(), frozenset(), None)


def _check(ctx: RuleContext):
    df = ctx.df
    # Harnesses on PATH once a stage has run (installed, copied, downloaded: surely or probably),
    # its own plus its base stage's (a base stage comes earlier, so one pass in order computes
    # every stage once: a chain of 8,000 stages is 8,000 steps, not 32 million).
    # Per stage: (installed, maybe, harness packages installed into a project (not -g), whether
    # files were copied into the image: a command named by path may be one).
    done: list[tuple[frozenset[str], frozenset[str], frozenset[str], bool]] = []
    append_done = done.append
    triggers: list[frozenset[str]] = []  # per stage: what its ONBUILD RUNs surely install
    # Per stage: None, or what its other ONBUILD triggers leave in a stage built FROM it
    # (_trigger_effects: probably on PATH, files copied in, the WORKDIR and PATH directories).
    trigger_states: list[tuple | None] = []
    text = df.text
    if _GATE and df.escape not in text and not _names_harness(text):
        # Without the escape character no line is joined to another: every RUN's text and
        # heredoc line is a piece of the file's, and a piece that may name a harness (lower-
        # cased, quotes and backslashes taken out) makes the file's text name it too. One
        # search of the text instead of a look at each of 600,000 instructions, every lint.
        return
    named = _named_by_stage(df)  # variables an ENV or ARG gives a value naming a harness, by RUN
    if not named and not any(
        (_runs(ins) is not None or ins.keyword == "SHELL")
        and may_mention_harness(ins)
        or (ins.heredocs and ins.keyword in ("COPY", "ADD") and any(mentions_in(h.content) for h in ins.heredocs))
        for ins in df.instructions
    ):
        # Findings are made only for RUNs whose text names a harness, or that run a file a
        # COPY/ADD heredoc wrote naming one: without one, what the COPYs and unpacking RUNs
        # provide is never asked for (500,000 COPYs were a quarter of a 10 MB file's lint); nor
        # for a RUN that names none but by the stage's variables.
        return
    messages: dict[str, str] = {}

    def said(text: str) -> str:
        """One object per distinct message: a file's many findings share it."""
        return messages.setdefault(text, text)

    # _check_run's messages by their arguments, and its fixes' by the command's first word: the
    # same few for the whole file (built once per RUN, they were a RUN's largest constant).
    texts: dict[tuple, tuple] = {}
    fix_texts: dict[str, str] = {}

    text = df.text
    memo = _MEMO
    # source text of a RUN -> (sure, probable, installs' names, local installs' names or None)
    step_memo: dict[str, tuple] = {}
    # (source text, have, maybe, local, files) -> the findings, offsets from the RUN's start
    found_memo: dict[tuple, tuple | None] = {}
    met: set[str] = set()  # RUN texts met once
    digit_keys: dict[bytes, tuple | None] = {}  # DIGIT_RUNS: a text with its digits made 0 -> its key (None: not one)
    has_digit = _DIGIT.search
    new = tuple.__new__
    # Per stage: its WORKDIR (None: not known) and the directories an ENV put on PATH.
    places: list[tuple[str | None, frozenset[str]]] = []
    # Per stage: errexit and pipefail of its SHELL once it has run (None: no POSIX shell).
    shells: list[tuple[bool, bool] | None] = []
    writes: list[dict[str, list]] = []  # per stage: its ``written`` at its end
    # The npm_config_ variables each RUN's stage sets (ENV, ARG; inherited FROM a stage), by RUN.
    npm_envs = stage_envs(df)
    bases = base_indices(df)
    fed = None  # the stages whose ONBUILD RUNs run in this build (fed_stages), when first asked
    for stage, b in zip(df.stages, bases):
        # Frozen sets, replaced when they grow (rarely): a stage that adds nothing copies nothing,
        # and the memo's keys reuse them (a frozenset keeps its hash).
        if b is not None:
            installed, maybe, local, files = done[b]
            if triggers[b]:
                # The base stage's ONBUILD RUNs run first in a stage built FROM it in the same
                # Dockerfile (BuildKit runs them as if the base were an image: moby/buildkit#5490).
                installed = installed | triggers[b]
            workdir, path_dirs, copies = places[b]
            shell = shells[b]
            if trigger_states[b] is not None:
                t_maybe, t_files, workdir, path_dirs = trigger_states[b]
                maybe = maybe | t_maybe
                files = files or t_files
        else:
            # An image not known to lack the harnesses may have them (a warning, not an error).
            installed, maybe, local, files = _START if _lacks_harnesses(df, stage) else _UNKNOWN_START
            workdir, path_dirs, copies = "/", _EMPTY, None
            shell = DEFAULT_SHELL
        onbuilds = False
        any_onbuild = False  # an ONBUILD of any kind (_trigger_effects)
        # Files a COPY/ADD heredoc of this stage or its base stage wrote that name a harness (_heredoc_files).
        written: dict[str, list] = {k: list(v) for k, v in writes[b].items()} if b is not None else {}
        harness_shell = None  # (SHELL instruction, executable) of a SHELL naming a harness
        prev = None  # the instruction before ``ins`` (the first is the stage's FROM)
        # A stage without ONBUILD or SHELL is read and checked a part at a time, not kept whole:
        # there a step's check needs only the steps before it (an ONBUILD RUN's needs the whole
        # stage's, a SHELL's finding is yielded as it is read), and a stage of 300,000 RUNs kept
        # every RUN's script and effect until its end (700 MB at 10 MB). tests/test_ais002_fast.py
        # checks it against the whole stage at once (_PART None).
        instructions = stage.instructions
        size = len(instructions) or 1
        if _PART and size > _PART:
            keywords = set(map(attrgetter("keyword"), instructions))
            if "ONBUILD" not in keywords and "SHELL" not in keywords:
                size = _PART
        for lo in range(0, len(instructions), size):
            part = instructions if size == len(instructions) else instructions[lo : lo + size]
            # The steps that matter, in order: RUNs that mention a harness, COPY/ADD (they bring files).
            # Each is (instruction, script or None for a COPY/ADD, its source text when memoised, the
            # instruction before it, and its step_memo entry when memoised).
            steps = []
            effects = []
            for ins in part:
                before, prev = prev, ins
                keyword = ins.keyword
                if keyword in ("COPY", "ADD"):
                    steps.append(
                        (ins, None, None, None, None, None, None, None)
                    )  # (a directory or glob copied onto PATH names nothing)
                    effects.append(_copied(ins, workdir, path_dirs))
                    copies = (ins, workdir, copies)
                    if written or ins.heredocs:
                        _heredoc_files(ins, workdir, written)
                    continue
                if keyword == "WORKDIR":
                    workdir = workdir_after(workdir, ins)
                    continue
                if keyword == "ENV":
                    if "BASH_ENV" in ins.args and any(k == "BASH_ENV" and v for k, v in key_values(ins)):
                        steps.append((ins, None, None, None, None, None, None, None))
                        effects.append((_EMPTY, {_BASH_ENV}, _MARK))
                    old, path_dirs = path_dirs, _path_dirs(ins, path_dirs)
                    if copies is not None and path_dirs - old:
                        # What was copied earlier into a directory the ENV now puts on PATH (or above
                        # it) is found there from now on: `COPY tools/ /opt/tools/`, `ENV PATH=/opt/tools:$PATH`.
                        steps.append((ins, None, None, None, None, None, None, None))
                        effects.append(_copied_before(copies, path_dirs - old))
                    continue
                if keyword == "SHELL":
                    shell = shell_instruction(ins.json_args)
                    harness_shell = _shell_harness(ins)
                    marks = _bash_marks(ins.json_args)
                    if shell is not None and marks:
                        shell = (*shell, True)  # bash reads the RUNs' text (failing_starts: not dash's syntax)
                    if marks:
                        steps.append((ins, None, None, None, None, None, None, None))
                        effects.append((_EMPTY, marks, _MARK))
                    continue
                if harness_shell is not None and keyword == "RUN" and ins.json_args is None:
                    # The first RUN of the shell form after a SHELL naming a harness runs it.
                    found = _shell_finding(ins, harness_shell, installed, maybe, effects, said)
                    if found is not None:
                        yield found
                    harness_shell = None
                if keyword == "RUN":
                    run = ins
                elif keyword == "ONBUILD":
                    any_onbuild = True
                    run = _runs(ins)
                else:
                    continue
                if run is None:
                    continue
                onbuild = keyword == "ONBUILD"
                source = known = None
                place = (workdir, path_dirs)
                npm = npm_envs.get(ins.start) if npm_envs else None  # the stage's npm_config_ variables
                staged = named.get(ins.start) if named and keyword == "RUN" else None  # (what the RUN spells)
                if written and keyword == "RUN" and (runs := _written_run(written, run, workdir)):
                    staged = {**(staged or {}), STAGE_FILES: (runs, False)}
                heredoc = (
                    DIGIT_HEREDOCS
                    and keyword == "RUN"
                    and len(run.heredocs) == 1
                    and has_digit(text, ins.start, ins.end) is not None
                    and _DIGIT_DOC_ODD.search(text, ins.start, ins.end) is None
                )
                if (
                    memo
                    and ins.end - ins.start <= _MEMO_TEXT
                    and (heredoc or not run.heredocs)
                    and (not staged or STAGED_MEMO and not run.heredocs and STAGE_FILES not in staged)
                ):
                    source = text[ins.start : ins.end]
                    if staged:
                        source = _staged_key(source, staged)  # (STAGED_MEMO: the text and the values it reads)
                    elif heredoc:
                        # (DIGIT_HEREDOCS: the same for a RUN of one heredoc, or not memoised)
                        keyed = None
                        if source.isascii():
                            z = source.encode().translate(_ZERO_BYTES)
                            keyed = digit_keys.get(z, _LATER)
                            if keyed is _LATER:
                                if len(digit_keys) >= _MEMO_MAX:
                                    digit_keys.clear()
                                keyed = digit_keys[z] = (_DIGITS, z) if _digit_heredoc(z.decode(), ins) else None
                        source = keyed
                    elif (
                        DIGIT_RUNS
                        and keyword == "RUN"
                        and (ins._offsets is None or QUOTED_MARKS and "<<" in source)  # (offsets a range: QUOTED_MARKS)
                        and (
                            ("echo" in source or ":" in source)
                            and _DIGIT_ODD.search(source) is None
                            or DIGIT_WIDE
                            and _digit_named(source)  # (DIGIT_WIDE: of the shell reader's class)
                        )
                        and has_digit(source) is not None
                        and source.isascii()
                    ):
                        # (DIGIT_RUNS: the digits of what echo prints made 0, when the text is of that class)
                        z = source.encode().translate(_ZERO_BYTES)
                        keyed = digit_keys.get(z, _LATER)
                        if keyed is _LATER:
                            if len(digit_keys) >= _MEMO_MAX:
                                digit_keys.clear()
                            zs = z.decode()
                            keyed = digit_keys[z] = (
                                (_DIGITS, z)
                                if ins.logical == source
                                and (
                                    _DIGIT_ODD.search(zs) is None
                                    and _digit_class(zs, ins.args_start)
                                    or DIGIT_WIDE
                                    and _digit_wide(zs, ins.args_start)
                                )
                                else None
                            )
                        if keyed is not None:
                            source = keyed
                    elif _provides.VERSION_DIGITS and "@" in source and (zeroed := version_key(source)) is not None:
                        # (VERSION_DIGITS: the version digits of its installs made 0, _provides.version_key)
                        source = (_VERSIONS, zeroed)
                    if (
                        STAGED_DIGITS
                        and type(source) is str
                        and "$" in source
                        and has_digit(source) is not None
                        and not _digit_named(source)  # (a line DIGIT_WIDE may take is left to it: `echo $HOME7`)
                        and _digit_name(source) is not None
                    ):
                        # (STAGED_DIGITS: `RUN $C17 -v`, no value of C17 known)
                        source = (_STAGED_DIGITS, source.translate(_ZEROS), ())
                    known = step_memo.get((source, place, npm))
                    if known is not None:  # (the same text passed the pre-checks below before)
                        onbuilds = onbuilds or onbuild
                        steps.append((ins, _LATER, source, before, known, shell, place, npm))
                        effects.append(_TRIGGER_EFFECT if onbuild else (known[0], known[1], None))
                        if not onbuild and _may_write_tree(run.logical):
                            # (as below: a RUN met in another stage first, `tar -C /opt` in two
                            # stages, is this stage's for an ENV PATH= after it)
                            copies = (ins, workdir, copies)
                        continue
                if not (
                    staged
                    or may_mention_harness(ins)
                    or _may_unpack_onto_path(ins)
                    or may_run_project_code(run.logical)
                    or "profile" in run.logical
                    or any(may_run_project_code(h.content) for h in run.heredocs)
                ):
                    continue
                onbuilds = onbuilds or onbuild
                if source is not None:
                    if source not in met:
                        # Remembered from its second time on: a file whose RUNs never repeat pays a
                        # slice and a set entry per RUN, not the relative copies of its findings.
                        if len(met) >= _MEMO_MAX:
                            met.clear()
                        met.add(source)
                        source = None
                script = analyse_run(ins, staged)
                effect = _provided_by_step(df, ins, script, place, npm) if not onbuild else _TRIGGER_EFFECT
                if source is not None:
                    # (An ONBUILD RUN's text is never a RUN's: what it provides is not asked for.)
                    sure, probable, _ = (frozenset(), frozenset(), None) if onbuild else effect
                    local_names = None
                    if script.commands and _runs_package_manager(script):
                        local_names = [name for name, _ in _local_installs(script)]
                    if len(step_memo) >= _MEMO_MAX:
                        step_memo.clear()
                    known = step_memo[source, place, npm] = (
                        sure,
                        probable,
                        _sure(_installs(script, text, False, npm)),
                        local_names,
                    )
                steps.append((ins, script, source, before, known, shell, place, npm))
                effects.append(effect)
                if not onbuild and _may_write_tree(run.logical):
                    copies = (ins, workdir, copies)  # (an ENV PATH= after it may name a directory in the tree)
            # An ONBUILD RUN runs later, in an image built FROM this one: after every step of this
            # stage and the ONBUILD RUNs before it. It installs nothing for this stage; a stage built
            # FROM this one runs it first (``triggers``).
            later, later_maybe = installed, maybe
            trigger_state = upto = None
            if any_onbuild:
                # (The ONBUILD RUNs' scripts read above, given again: a stage of more RUNs than
                # analyse_run keeps read each a second time here.)
                read = {ins.start: script for ins, script, *_ in steps if ins.keyword == "ONBUILD"}
                if TRIGGER_INSTALLS:
                    _INSTALLS_ROOM[0] = max(
                        _INSTALLS_MAX, 2 * len(read)
                    )  # (the stage's checks take them: TRIGGER_INSTALLS)
                t_sure, *trigger_state, upto = _trigger_effects(df, stage, workdir, path_dirs, npm_envs, read)
            trigger = _EMPTY  # what the ONBUILD RUNs install, for the stages built FROM this one
            triggered = False  # this stage's ONBUILD RUNs run in this build
            if onbuilds:
                if fed is None:
                    fed = fed_stages(df, bases)
                triggered = stage.index in fed
                for sure, probable, _ in effects:
                    if sure:
                        later = later | sure
                    if probable:
                        later_maybe = later_maybe | probable
            for (ins, script, source, before, known, run_shell, place, npm), (sure, probable, provisions) in zip(
                steps, effects
            ):
                if script is None:  # COPY or ADD (or an ENV or SHELL: _MARK)
                    files = files or provisions is not _MARK
                    if sure:
                        installed = installed | sure
                    if probable:
                        maybe = maybe | probable
                    continue
                onbuild = ins.keyword == "ONBUILD"
                have, have_maybe = (later, later_maybe) if onbuild else (installed, maybe)
                if onbuild and upto:
                    got = upto.get(ins.start)  # (what the triggers before it provide: _trigger_effects)
                    if got is not None:
                        have, have_maybe = have | got[0], have_maybe | got[1]
                if onbuild:
                    run_shell = shell  # (the stage's last SHELL: the image's, which the trigger runs with)
                if source is not None:
                    key = (source, have, have_maybe, local, files, run_shell, place, npm, onbuild and triggered)
                    rel = found_memo.get(key)
                    if rel is None:  # not met in this state yet, or a finding or edit outside the RUN
                        if script is _LATER:
                            # (with the values it reads: STAGED_MEMO)
                            script = analyse_run(ins, named.get(ins.start) if named and ins.keyword == "RUN" else None)
                        out = list(
                            _check_run(
                                df,
                                ins,
                                script,
                                provisions,
                                have,
                                have_maybe,
                                local,
                                files,
                                said,
                                True,
                                before,
                                run_shell,
                                place,
                                npm,
                                onbuild and triggered,
                                texts,
                                fix_texts,
                            )
                        )
                        if len(found_memo) >= _MEMO_MAX:
                            found_memo.clear()
                        rel = _relative(out, ins)
                        if rel and type(source) is tuple and source[0] is not _STAGED and _names_digit(rel):
                            rel = None  # (DIGIT_RUNS: a finding that names a digit is this RUN's alone)
                        found_memo[key] = rel
                        yield from (v for v, _ in out)
                    elif len(rel) == 1 and rel[0][5] is _WHOLE:  # _moved's answer for one finding removing the RUN
                        message, at_start, at_end, severity, fix_message, _ = rel[0]
                        at = ins.start
                        fix = new(Fix, (UNSAFE, fix_message, (_drop_run(df, ins, before),)))
                        yield new(Violation, (message, at_start + at, at_end + at, fix, severity))
                    elif rel:  # (none: the RUN's findings are none, the commonest)
                        yield from _moved(df, ins, rel, before)
                    # (``known``: its step_memo entry, a function of the text, taken when it was met.)
                    if onbuild:
                        if known[2]:
                            later = later | frozenset(known[2])
                            trigger = trigger | frozenset(known[2])
                    else:
                        if sure:
                            installed = installed | sure
                        if probable:
                            maybe = maybe | probable
                        if known[3]:
                            local = local | frozenset(known[3])
                    continue
                yield from _check_run(  # (positional: no keywords to bind per RUN)
                    df,
                    ins,
                    script,
                    provisions,
                    have,
                    have_maybe,
                    local,
                    files,
                    said,
                    False,
                    before,
                    run_shell,
                    place,
                    npm,
                    onbuild and triggered,
                    texts,
                    fix_texts,
                )
                if onbuild:
                    onbuild_installs = set(_sure(_installs(script, text, False, npm)))
                    later = later | onbuild_installs
                    trigger = trigger | onbuild_installs
                else:
                    if sure:
                        installed = installed | sure
                    if probable:
                        maybe = maybe | probable
                    if script.commands and _runs_package_manager(script):
                        local = local | {name for name, _ in _local_installs(script)}
        if any_onbuild:
            trigger = trigger | t_sure
            _INSTALLS_ROOM[0] = _INSTALLS_MAX
            if len(_INSTALLS) > _INSTALLS_MAX:
                _INSTALLS.clear()  # (the stage's scripts not held past it)
        append_done((installed, maybe - installed if maybe else maybe, local, files))
        triggers.append(trigger)
        trigger_states.append(trigger_state)
        places.append((workdir, path_dirs, copies))
        shells.append(shell)
        writes.append(written)


# In ``maybe``: the stage's SHELL is bash (it reads $BASH_ENV), a login bash (it reads
# /etc/profile and /etc/profile.d/*.sh), an ENV sets BASH_ENV, an earlier step may write a
# profile file (`> /etc/profile.d/claude.sh`, `COPY profile.sh /etc/profile.d/`).
_BASH, _LOGIN, _BASH_ENV, _PROFILE = "<bash>", "<login bash>", "<BASH_ENV>", "<profile>"
_MARK = object()  # the effect of an ENV or SHELL that only adds those
_LOGIN_BASH = re.compile(r"\bbash\s+(?:-\w*l|--login)")


def _bash_marks(argv) -> set[str]:
    """What a SHELL's JSON form (``argv``) adds to ``maybe``: _BASH, and _LOGIN for `-l`, `-lc`,
    `--login`."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "bash":
        return set()
    login = any(a == "--login" or (a[:1] == "-" and a[1:2] != "-" and "l" in a) for a in argv[1:])
    return {_BASH, _LOGIN} if login else {_BASH}


def _makes_no_file(text: str, cmd) -> bool:
    """The command is a `set` without a redirection (`set -e`, `set -- a b`): it sets the shell's
    options and parameters only, and puts no file in the image. (`set -e` first in a body is the
    SHELL's -e written out: the same script, the same findings.)"""
    return (
        cmd.argv[0] == "set" and cmd.start is not None and cmd.end is not None and ">" not in text[cmd.start : cmd.end]
    )


def _in_script(word: str, run) -> bool:
    """Cheap pre-check: ``word`` is in the RUN's line or a heredoc body of it (the script of
    `RUN <<EOF`, which BuildKit runs as it runs a line: the same answer for both)."""
    if word in run.logical:
        return True
    if run.heredocs:  # (no generator for a RUN without heredocs: most)
        for d in run.heredocs:
            if word in d.content:
                return True
    return False


def _sourced(maybe, run, exe: str) -> str | None:
    """Why a bash of this RUN may define ``exe`` (a function, an alias, a PATH) from a file it
    reads first, which an earlier step may have written: $BASH_ENV (an ENV or the RUN sets it,
    the SHELL or a `bash` of the RUN is bash), a login bash's profile (`SHELL ["/bin/bash", "-lc"]`, `bash -lc`)."""
    if (_BASH_ENV in maybe or _in_script("BASH_ENV", run)) and (_BASH in maybe or _in_script("bash", run)):
        return f"bash reads $BASH_ENV first, which may define `{exe}`"
    if _PROFILE in maybe and (
        _LOGIN in maybe or _LOGIN_BASH.search(run.logical) or any(_LOGIN_BASH.search(d.content) for d in run.heredocs)
    ):
        return f"a login bash reads /etc/profile first, which an earlier step may have made define `{exe}`"
    return None


def _trigger_effects(df, stage, workdir, path_dirs, npm_envs, read=None):
    """What a stage's ONBUILD triggers leave in a stage built FROM it, where they run first, in
    order, from the stage's last WORKDIR and PATH (moby/buildkit#5490): (harnesses surely on PATH,
    probably, whether files were copied in, the WORKDIR, the PATH directories, and per ONBUILD RUN
    by its start what the triggers before it provide, surely and probably), as the same COPY, ADD,
    RUN, WORKDIR or ENV would (`ONBUILD COPY claude /usr/local/bin/`, `ONBUILD RUN ln -s …`,
    `ONBUILD WORKDIR /usr/local/bin`). ``read``: scripts of the ONBUILD RUNs read before, by start
    (_LATER, None or a missing one: read here)."""
    sure: set[str] = set()
    maybe: set[str] = set()
    files = False
    upto: dict[int, tuple] = {}
    last = None  # (what upto gave the trigger before: one pair for every trigger after no change)
    provided: dict[tuple, tuple] = {}  # (VERSION_DIGITS: a trigger's key -> what it provides)
    for ins in stage.instructions:
        sub = ins.sub if ins.keyword == "ONBUILD" else None
        keyword = sub.keyword if sub is not None else None
        if keyword in ("COPY", "ADD"):
            found = _copied(sub, workdir, path_dirs)
            files = True
        elif keyword == "RUN":
            if sure or maybe:
                # (The sets only grow: of the sizes of the last pair, they are its sets. A stage
                # of 20,000 ONBUILD installs made two sets for each.)
                if last is None or len(last[0]) != len(sure) or len(last[1]) != len(maybe):
                    last = (frozenset(sure), frozenset(maybe))
                upto[ins.start] = last
            npm = npm_envs.get(ins.start) if npm_envs else None
            key = None
            if _provides.VERSION_DIGITS and "@" in ins.logical:
                # (VERSION_DIGITS: a trigger that differs from one before only in the version
                # digits of its installs provides what that one provides)
                zeroed = version_key(df.text[ins.start : ins.end])
                if zeroed is not None:
                    key = (zeroed, workdir, path_dirs, npm)
                    found = provided.get(key)
                    if found is not None:
                        sure |= found[0]
                        maybe |= found[1]
                        continue
            script = read.get(ins.start) if read and TRIGGER_SCRIPTS else None
            if script is None or script is _LATER:
                script = analyse_run(ins)
            found = _provided_by_step(df, ins, script, (workdir, path_dirs), npm)
            if key is not None:
                if len(provided) >= _MEMO_MAX:
                    provided.clear()
                provided[key] = found[:2]
        elif keyword == "WORKDIR":
            workdir = workdir_after(workdir, sub)
            continue
        elif keyword == "ENV":
            path_dirs = _path_dirs(sub, path_dirs)
            continue
        else:
            continue
        sure |= found[0]
        maybe |= found[1]
    return frozenset(sure), frozenset(maybe - sure), files, workdir, path_dirs, upto


_LATER = object()  # not read yet
# _trigger_effects takes the ONBUILD RUNs' scripts _check read (a file of 20,000 ONBUILD installs
# read each three times: twice here past KEEP_SCRIPTS, once by AIS003);
# tests/test_ais002_fast.py compares the findings with it off.
TRIGGER_SCRIPTS = True
_EMPTY: frozenset[str] = frozenset()
_START = (_EMPTY, _EMPTY, _EMPTY, False)  # a stage not built FROM another
# In ``maybe``: the stage's image (not one known to lack them) may have any harness.
_IMAGE = "<the base image>"
# In ``maybe``, before a harness's name: an earlier RUN put files in its global npm package
# directory (_provides.package_writes): `node` may find its entry script there.
_PACKAGE_FILES = "<package files> "
_UNKNOWN_START = (_EMPTY, frozenset({_IMAGE}), _EMPTY, False)

# Images known to have no harness on PATH: the foundation (harnesses come from the harness
# volume), `scratch` and Docker's official images (library/NAME: none ships one). Any other
# image (`ghcr.io/anthropics/claude-code`, `aishell:base`, which had them baked in, a name
# from an ARG without a default) may have one.
_OFFICIAL = (
    "alpine|debian|ubuntu|busybox|node|python|pypy|golang|rust|ruby|php|perl|openjdk|eclipse-temurin"
    "|amazoncorretto|ibm-semeru-runtimes|sapmachine|buildpack-deps|fedora|centos|rockylinux|almalinux"
    "|amazonlinux|oraclelinux|archlinux|photon|clearlinux|bash|gcc|erlang|elixir|haskell|swift|julia"
    "|r-base|clojure|maven|gradle|groovy|dart|nginx|httpd|postgres|mysql|mariadb|redis|mongo|composer"
    "|docker|bun|deno"
)
_KNOWN_WITHOUT = re.compile(
    r"(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?(?:library/)?"
    r"(?:aishell:foundation|scratch|(?:" + _OFFICIAL + r")(?::[\w][\w.-]*)?)(?:@sha256:[0-9a-fA-F]+)?",
    re.I,
)


def _lacks_harnesses(df, stage) -> bool:
    """The stage's image is known to have no harness (see _KNOWN_WITHOUT)."""
    if stage.image is None:
        return False
    ref = expanded_global(df, stage.image.text)
    return _KNOWN_WITHOUT.fullmatch(ref) is not None


# Directories an `ENV PATH=` may add before the rule stops adding them (as it adds none from a
# variable): each ENV copies the set, so without a bound 5,600 `ENV PATH=/pN:$PATH` took 9 s
# (quadratic), and a RUN's work grows with it. Real files add a few.
MAX_PATH_DIRS = 64


def _path_dirs(ins, path_dirs: frozenset[str]) -> frozenset[str]:
    """The directories an `ENV PATH=…` puts on PATH besides the standard ones (at most
    MAX_PATH_DIRS; the set is copied once per ENV, not once per `PATH=` in it)."""
    if "PATH" not in ins.args:
        return path_dirs
    acc = None  # the directories so far, once a PATH= of this ENV has been read
    for key, value in key_values(ins):
        if key != "PATH":
            continue
        entries = value.split(":")
        if "$PATH" in entries or "${PATH}" in entries:
            if acc is None:
                acc = set(path_dirs)
        else:
            acc = set()
        for e in entries:
            if len(acc) >= MAX_PATH_DIRS:
                break
            if e.startswith("/") and "$" not in e:
                e = posixpath.normpath(e)
                if e not in PATH_DIRS:
                    acc.add(e)
            elif e and e[0] != "/" and e not in ("$PATH", "${PATH}") and _may_hold(e):
                # Entries not resolved (`./node_modules/.bin`, `$HOME/bin`) are kept as written:
                # only _may_hold reads them (no copy destination equals one).
                acc.add(e)
    return path_dirs if acc is None or acc == path_dirs else frozenset(acc)


def _may_hold(entry: str) -> bool:
    """A PATH entry that may name a directory a project's install or its copied files fill:
    `node_modules/.bin` anywhere, or one the rule cannot resolve (relative, with a variable)."""
    return "node_modules" in entry or not entry.startswith("/") or "$" in entry or "~" in entry


def _path_set_at(text: str, start: int, end: int, copied: bool = False) -> float:
    """Where the RUN at text[start:end] first assigns PATH an entry that _may_hold
    (`PATH=./node_modules/.bin:$PATH claude`, `export PATH=…`), or, once files were ``copied``
    in, any directory but the standard ones (`COPY --from=h /opt/claude /opt/claude`, then
    `PATH=/opt/claude/bin:$PATH claude`: the copied tree may hold it); infinity: nowhere."""
    if "PATH" not in text[start:end]:
        return float("inf")
    for m in _PATH_SET.finditer(text, start, end):
        value = _PATH_VALUE.match(text, m.end()).group(0).replace("'", "").replace('"', "")
        for e in value.split(":"):
            if not e or e in ("$PATH", "${PATH}"):
                continue
            if _may_hold(e) or (copied and posixpath.normpath(e) not in PATH_DIRS):
                return m.start()
    return float("inf")


_PATH_SET = re.compile(r"(?<![\w$/.-])PATH\+?=")
_PATH_VALUE = re.compile(r"""(?:[^\s;&|()<>'"]|'[^']*'|"[^"]*")*""")


def _copied_before(copies, new_dirs: frozenset[str]):
    """``_provided_by_step`` for an ENV that puts ``new_dirs`` on PATH: what the COPYs and ADDs
    before it (``copies``: (instruction, its WORKDIR, the ones before) back to the first) put
    there. Past _COPIES_READ of them, any harness may be there (probably)."""
    sure: set[str] = set()
    maybe: set[str] = set()
    seen = set()
    while copies is not None:
        ins, workdir, copies = copies
        key = (ins.logical, workdir)
        if key in seen:
            continue
        if len(seen) >= _COPIES_READ:
            return sure, set(_HARNESS_NAMES) - sure, None
        seen.add(key)
        if ins.keyword == "RUN":
            # A RUN that unpacked an archive or cloned a repository above a new PATH directory
            # (`tar -xz -C /opt`, then `ENV PATH=/opt/tools/bin:$PATH`): any name, probably.
            if _tree_under(ins, workdir, new_dirs):
                maybe |= _HARNESS_NAMES
            continue
        found_sure, found_maybe, _ = _copied(ins, workdir, new_dirs)
        sure |= found_sure
        maybe |= found_maybe
    return sure, maybe - sure, None


_COPIES_READ = 512
_HARNESS_NAMES = frozenset(BY_EXECUTABLE[exe].name for exe in BY_EXECUTABLE)


def _may_write_tree(text: str) -> bool:
    """Cheap pre-check: a RUN that may unpack an archive into a directory or clone a repository
    (_provides._created's trees)."""
    return (("tar" in text or "unzip" in text) and ("-C" in text or "-d" in text or "--directory" in text)) or (
        "git" in text and "clone" in text
    )


def _tree_under(ins, workdir: str | None, new_dirs: frozenset[str]) -> bool:
    """The RUN ``ins`` writes a tree of files not known (an archive unpacked, a repository
    cloned) at one of ``new_dirs`` or above it."""
    roots = trees_written(analyse_run(ins), workdir)
    return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots for p in new_dirs)


def _copied(ins, workdir: str | None, path_dirs: frozenset[str]):
    """``_provided_by_step`` for a COPY or ADD: its destination resolved against the WORKDIR,
    the ENV's PATH directories counted."""
    words = copy_words(ins)
    if ins.flags and ins.flag("parents") is not None:
        # `COPY --parents bin/claude /usr/local/`: each source lands under its parents.
        found = {}
        for part in parents_sources(words):
            for exe, level in copy_provides_at(part, _NAMES, ins.keyword == "ADD", workdir, path_dirs).items():
                found[exe] = CERTAIN if CERTAIN in (level, found.get(exe)) else level
    else:
        found = copy_provides_at(words, _NAMES, ins.keyword == "ADD", workdir, path_dirs)
    sure = {BY_EXECUTABLE[exe].name for exe, level in found.items() if level == CERTAIN}
    maybe = {BY_EXECUTABLE[exe].name for exe, level in found.items() if level != CERTAIN}
    if "profile" in ins.logical:
        maybe.add(_PROFILE)  # (`COPY claude.sh /etc/profile.d/`: what a login bash reads)
    return sure, maybe - sure, None


def _relative(out, ins):
    """The findings of one RUN (with, for each, whether its fix removes the whole RUN) as offsets
    from the RUN's start, or None when one of them reaches outside it."""
    lo, hi = ins.start, ins.end
    rel = []
    for v, whole in out:
        if not (lo <= v.start <= v.end <= hi):
            return None
        fix = v.fix
        if fix is None:
            edits = None
        elif whole:
            edits = _WHOLE
        else:
            if not all(e.path is None and lo <= e.start <= e.end <= hi for e in fix.edits):
                return None
            edits = tuple((e.start - lo, e.end - lo, e.replacement) for e in fix.edits)
        rel.append((v.message, v.start - lo, v.end - lo, v.severity, fix.message if fix else None, edits))
    return tuple(rel)


def _names_digit(rel) -> bool:
    """Whether a message, fix message or edit of _relative's findings holds a digit."""
    for message, _, _, _, fix_message, edits in rel:
        if _DIGIT.search(message) is not None or (fix_message is not None and _DIGIT.search(fix_message) is not None):
            return True
        if edits is not None and edits is not _WHOLE and any(r and _DIGIT.search(r) is not None for _, _, r in edits):
            return True
    return False


def _moved(df, ins, rel, before):
    """The findings ``_relative`` kept, at this RUN (the same text elsewhere); ``before``: the
    instruction before it."""
    at = ins.start
    new = tuple.__new__
    for message, a, b, severity, fix_message, edits in rel:
        if edits is None:
            fix = None
        elif edits is _WHOLE:
            fix = new(Fix, (UNSAFE, fix_message, (_drop_run(df, ins, before),)))
        else:
            fix = new(Fix, (UNSAFE, fix_message, tuple(new(Edit, (s + at, e + at, r, None)) for s, e, r in edits)))
        yield new(Violation, (message, a + at, b + at, fix, severity))


# (drop_instruction with the instruction before it at hand: aishell.lint_rules._edits.drop_run_after)
_drop_run = drop_run_after


_MOUNT_TARGETS = frozenset({"target", "dst", "destination"})


def _mounts(run, workdir: str | None):
    """(type, target) of each `RUN --mount` of ``run``: the target made absolute against the
    WORKDIR and normalised, None when not known (relative to a WORKDIR not known, a variable)."""
    for flag in run.flags:
        if flag.name != "mount" or not flag.value:
            continue
        kind, target = "bind", None
        for field in flag.value.split(","):
            key, eq, value = field.partition("=")
            key = key.strip().strip("'\"").lower()
            value = value.strip().strip("'\"")
            if key == "type" and eq:
                kind = value.lower()
            elif key in _MOUNT_TARGETS and eq:
                target = value
        if not target:
            continue
        if not target.startswith("/"):
            if workdir is None:
                yield kind, None
                continue
            target = posixpath.join(workdir, target)
        if "$" in target:
            yield kind, None
            continue
        t = posixpath.normpath(target)
        yield kind, t[1:] if t.startswith("//") else t


def _mounted_onto_path(run, name: str, place) -> bool:
    """A `RUN --mount` that may put ``name`` on PATH while the RUN runs: a bind mount (from a stage,
    an image or the context) or a cache mount (what earlier builds left there) onto a PATH
    directory or one above it (`--mount=from=tools,src=/out,dst=/usr/local/bin`), or a bind, a
    secret or an ssh socket mounted at the file itself. A tmpfs is empty."""
    dirs = PATH_DIRS | place[1]
    for kind, t in _mounts(run, place[0]):
        if t is None:
            if kind in ("bind", "cache"):
                return True  # (not known: anywhere)
            continue
        if kind in ("bind", "secret", "ssh") and posixpath.basename(t) == name and posixpath.dirname(t) in dirs:
            return True  # the file itself (a tmpfs or cache mount there is an empty directory)
        if kind in ("bind", "cache") and any(d == t or d.startswith(t.rstrip("/") + "/") for d in dirs):
            return True
    return False


# Where a global install puts a harness: its package (npm's prefix /usr/local or /usr) and the
# link to its executable (a PATH directory).
_INSTALL_DIRS = frozenset(d.rstrip("/") for d in GLOBAL_NODE_MODULES) | PATH_DIRS


def _mount_keeps_nothing(run, workdir: str | None) -> bool:
    """A `RUN --mount` (of any type: what is written under its target stays out of the image)
    onto or above a directory a global install writes to (`--mount=type=tmpfs,target=/usr/local/
    lib/node_modules`, `--mount=type=cache,target=/usr/local`): what the RUN installs or makes
    there may be gone once it has run."""
    for _, t in _mounts(run, workdir):
        if t is None or any(d == t or d.startswith(t.rstrip("/") + "/") for d in _INSTALL_DIRS):
            return True
    return False


def _may_unpack_onto_path(ins) -> bool:
    """Cheap pre-check: a RUN that may unpack an archive or copy a directory into a `bin`
    directory (`tar -C /usr/local/bin`, `cp -r tools/. /usr/local/bin`) or install a local
    package globally (`npm i -g ./tools`, `npm link`, `pip install .`), naming no harness."""
    text = ins.logical
    return (
        ("bin" in text and ("tar" in text or "unzip" in text or "cp" in text or "mv" in text or "rsync" in text))
        or _may_write_tree(text)
        or (("npm" in text or "bun" in text) and ("-g" in text or "global" in text or "link" in text))
        or ("pip" in text and "install" in text)
        # a package an expansion names, or xargs' input (`yarn global add $PKG`, `xargs npm i -g
        # < packages.txt`: _provides.run_provides)
        or (("$" in text or "`" in text or "xargs" in text) and _EXPANDED_INSTALL.search(text) is not None)
        # or a command an expansion names (`$INSTALL $PKG`): an installer, maybe
        or (("$" in text or "`" in text) and _EXPANDED_COMMAND.search(text) is not None)
    )


_EXPANDED_COMMAND = re.compile(r"(?:^\w+[ \t]+(?:--\S+[ \t]+)*|[;&|({][ \t]*|\b(?:then|do|else)[ \t]+)[$`]")
_EXPANDED_INSTALL = re.compile(
    r"\b(?:install|add|i|get|use)\b[^;&|]*[$`]|\bxargs\b[^;&|]*\b(?:install|add|i|get|use)\b"
)


def _named_by_stage(df) -> dict:
    """stage_values of the ENV and ARG values that name a harness (`ENV C=claude`), by RUN; none
    where no ENV or ARG text spells one out (their texts alone are read, lower-cased: mentions_in
    on them all, quotes taken out, was 1% of a lint of the corpus shape)."""
    if "$" not in df.text:
        return {}
    low = "\n".join([ins.args for ins in df.instructions if ins.keyword in ("ENV", "ARG")]).lower()
    if not any(w in low for w in HARNESS_WORDS) and _QUOTED.search(low):
        low = _QUOTED.sub("", low)  # (`ENV C=cla"ude"`, `ENV C=cl\aude`: the name, unquoted)
    return stage_values(df, mentions_in) if any(w in low for w in HARNESS_WORDS) else {}


_WRITTEN_MAX = 64  # heredoc files naming a harness a stage keeps (_heredoc_files), the latest


def _heredoc_files(ins, workdir: str | None, written: dict[str, list]) -> None:
    """Update ``written`` (path -> [heredoc, executable (None: not known), surely its text]) for a COPY/ADD: a heredoc
    it writes as a file (`COPY <<EOF /s.sh`, `COPY --chmod=755 <<EOF /usr/local/bin/setup`,
    `COPY <<a.sh <<b.sh /opt/`) that names a harness, which a later RUN of the stage may run (see
    _written_run); a file it copies over one of them is no longer that text."""
    words = copy_words(ins)
    if len(words) < 2:
        return
    dest = words[-1]
    if not dest.startswith("/"):
        if workdir is None:
            return
        dest = posixpath.join(workdir, dest)
    docs = {"<<" + h.name: h for h in ins.heredocs} if ins.heredocs else {}
    into = dest.endswith("/") or len(words) > 2
    mode = next((f.unquoted for f in ins.flags if f.name == "chmod"), None)
    executable = mode is not None and _adds_x(mode)
    for src in words[:-1]:
        doc = docs.get(src.lstrip("-") if src.startswith("<<-") else src)
        name = doc.name if doc is not None else posixpath.basename(src.rstrip("/"))
        path = posixpath.normpath(posixpath.join(dest, name) if into else dest)
        written.pop(path, None)
        if doc is not None and mentions_in(doc.content):
            if len(written) >= _WRITTEN_MAX:
                del written[next(iter(written))]  # (the oldest: each RUN looks for every one)
            written[path] = [doc, executable, True]


def _written_run(written: dict[str, list], run, workdir: str | None) -> dict | None:
    """The files of ``written`` that ``run`` names (by their base name: cheap), for analyse_run's
    STAGE_FILES, by their path (and relative to the WORKDIR: `sh s.sh`); each is then not surely
    its text, nor of a known mode, for a later RUN (this one may change them)."""
    runs = None
    for path, entry in written.items():
        if posixpath.basename(path) in run.logical:
            if runs is None:
                runs = {}
            runs[path] = tuple(entry)
            if workdir is not None and path.startswith(workdir.rstrip("/") + "/"):
                runs[rel_below(path, workdir)] = runs[path]
            entry[1] = None
            entry[2] = False
    return runs


def _check_run(
    df,
    ins,
    script,
    provided,
    have,
    maybe,
    local,
    files,
    said,
    pairs=False,
    before=None,
    shell=DEFAULT_SHELL,
    place=("/", frozenset()),
    npm=None,
    triggered=False,
    texts=None,
    fix_texts=None,
):
    """The findings of one RUN (or ONBUILD RUN): ``have``/``maybe`` hold the harnesses surely or
    probably on PATH before it, ``files`` whether files were copied into the image. ``pairs``:
    each with whether its fix removes the whole RUN. ``before``: the instruction before it.
    ``shell``: errexit and pipefail of the stage's SHELL (None: not a POSIX shell). ``place``: the
    WORKDIR (None: not known) and the directories an ENV put on PATH (run_provides'). ``npm``:
    the stage's npm_config_ variables (_npm_env). ``texts``, ``fix_texts``: the messages made so
    far (_check's, shared by its RUNs)."""
    run = _runs(ins) or ins  # (the RUN itself, or the one its ONBUILD carries)
    commands = script.commands
    # The command names, gathered in C once: what the scans below (installs, local installs,
    # project code) ask first of every command (a RUN of two commands paid a scan each).
    names = set(map(_NAME, commands)) if RUN_PRECHECKS else None
    here = _installs(script, df.text, False, npm) if names is None or not _INSTALL_WORDS.isdisjoint(names) else []
    # Per harness name: where this RUN first installs it surely, and in any way (one look-up per
    # command, not a scan of the installs: a RUN of thousands of calls and installs).
    here_sure, here_any = (_firsts(i for i in here if i[2]), _firsts(here)) if here else (_NO_FIRSTS, _NO_FIRSTS)
    here_local = None  # _firsts of _local_installs, read when a package runner is found
    firsts = None  # _first_provisions(provided), read when a harness is looked up
    code = None  # project_code_before(script, ins), asked when a call would be an error otherwise
    fed_firsts = None  # _fed_firsts, for a call on the line when the line runs a heredoc
    failing = None  # failing_starts(ins), read when an error is about to be reported
    named = None  # (its ``named``, read for an error at an expansion)
    unset_names = None  # (its ``unsure_names``, sorted), read for a warning about a command an expansion names
    walk = None  # (the RunWalk those three come from: one status walk of the RUN for them, ONE_WALK)
    onbuild = ins.keyword == "ONBUILD"
    # ``triggered``: an ONBUILD RUN of a stage that a stage this build surely builds is built FROM
    # (BuildKit runs it first there: moby/buildkit#5490): it runs in this build, as a RUN does.
    waits = onbuild and not triggered
    sets_bash_env = None  # _in_script("BASH_ENV", run), when asked (`BASH_ENV=/etc/x bash -c …`: _sourced)
    # _path_may_hold's [here_local, where the RUN first sets a PATH entry that _may_hold (inf:
    # nowhere), whether an ENV put such an entry on PATH], when first asked.
    path_cache = None
    # (_never_provided and _path_may_hold are module-level, their caches passed in and out: two
    # closures made per RUN, and the cells of every variable they read, were a distinct RUN's
    # largest constant of the set-up.)

    # Per command name: the harness for which _never_provided said yes (False: no), asked once a
    # RUN, not the provision checks below for each of a RUN's thousands of calls (the `&&` list).
    never: dict[str, object] = {}
    by_executable = BY_EXECUTABLE.get
    by_item = None  # _by_item(script), when first asked
    carriage = None  # whether the RUN's line holds a carriage return (once a RUN: it may be long)
    if texts is None:
        texts, fix_texts = {}, {}  # _message's answers, by its arguments; the fix's, by the first word
    packages = _PACKAGES.get
    last_key = known = None  # the last finding's message key, and its _message (most repeat it)
    clean = None  # _edits.clean_run of the RUN, when first asked (drop_item's ``clean``)
    writes_clean = False  # ... and with `>` allowed, when ``clean`` is not (WRITES_CLEAN)
    # A harness call's words and harness that REPEAT_CALLS may take. (Few locals: the generator's
    # frame, allocated per RUN, stays in the allocator's quick sizes: a file of 300,000 RUNs.)
    rep_argv = rep_harness = None
    bodies = None  # _function_bodies(df.text, script), when a nested call is judged
    quick = None  # REPEAT_QUICK's (message, severity, fix message, words, text, items, their count), once set
    for cmd in script.commands:
        if quick is not None and cmd[0] is quick[3] and quick[3] is rep_argv and not cmd[6]:
            # REPEAT_QUICK: what the steps below give a repeat of the call whose finding set
            # ``quick``, where nothing but its place differs: a plain line's words, not nested,
            # an error where it stands (it decides, named by no expansion), its fix dropping it
            # and the ` && ` or ` || ` before it (an item of its own, not the first). (Only names
            # the loop has: the generator's frame stays as small.)
            spans, item = cmd[1], cmd[5]
            if type(spans) is _PlainSpans and spans.n and not spans.delta and not cmd[4] and 0 < item < quick[6]:
                a = spans.starts[spans.lo]
                word = spans.words[spans.lo]
                if word and item not in by_item:
                    a, b = spans.m.offsets[a], spans.m.offsets[a + len(word) - 1]
                    if a is not None and b is not None and a in failing and quick[4][a] not in _EXPANSION_STARTS:
                        first, edits = quick[5][item - 1], quick[5][item]  # (the items before and here)
                        if quick[4][first[1] : edits[0]] in _AND_OR:
                            if a == cmd[2]:
                                a = cmd[2]  # (one int object for both, as below)
                            edits = (_new(Edit, (first[1], edits[1], "", None)),)
                            v = _new(Violation, (quick[0], a, b + 1, _new(Fix, (UNSAFE, quick[2], edits)), quick[1]))
                            if pairs:
                                yield v, False
                            else:
                                yield v
                            continue
        if cmd[0] is rep_argv and not cmd[6] and REPEAT_CALLS:
            # The words of the harness call before (one list for both: _read_plain), which
            # passed every check below that its position does not decide (rep_argv).
            argv, spans, start, _, nested, item, runner, name = cmd
            harness = rep_harness
            repeat = True
        else:
            repeat = entered = False
            harness = by_executable(cmd.name)  # (_harness' first look-up, without a call per command)
            if harness is None and cmd.argv and (cmd.runner or not PACKAGE_BY_RUNNER):
                # (_harness' second look-up, its memo's, inline: most commands of a RUN are no harness.)
                harness = packages(cmd.argv[0], _LATER)
                if harness is _LATER:
                    harness = _harness(cmd)
            if harness is None:
                if cmd.name not in SCRIPT_RUNNERS:
                    continue
                found = _entry_command(cmd, script, files, local, maybe, df.text)
                if found is None:
                    continue
                harness, cmd = found
                entered = True  # (not the command's own words: no rep_argv)
            if harness.name in have:
                continue
            # (Its fields as locals: a named field is an attribute look-up each time, and a RUN may
            # have 800,000 calls.)
            argv, spans, start, _, nested, item, runner, name = cmd
        if ((kind := type(spans)) is _PlainSpans and SPAN_INLINE) or (kind is _RowSpans and ROW_SPAN_INLINE):
            # (_PlainSpans.__getitem__(0) inlined: a plain line's commands, 800,000 in an `&&`
            # list; _RowSpans': the rows of a line of files made and harness calls.)
            if kind is _PlainSpans:
                if not spans.n:
                    continue  # no words
                a = spans.starts[spans.lo]  # (where the word starts and ends in the script read)
                b = a + len(spans.words[spans.lo])
            else:
                if not spans.words:
                    continue  # no words
                a = spans.at
                b = a + len(spans.words[0])
            if a >= b:
                continue
            a, b = spans.m.offsets[a], spans.m.offsets[b - 1]
            if a is None or b is None:
                continue
            b += 1
            if spans.delta:
                a, b = a + spans.delta, b + spans.delta
        else:
            try:
                first = spans[0]  # (not `not spans` first: a Python-level __len__ for most)
            except IndexError:
                continue  # no words
            if first is None:
                continue
            a, b = first
        if a == start:
            a = start  # (one int object for both: a RUN may have 800,000 findings)
        if repeat:
            unsure = quiet = None
        else:
            # Installed earlier in this same RUN: the command works; AIS003 reports the install.
            # Where what runs before it is judged: the call's own place, or, for a call in the body
            # of a function this RUN defines, the place of the function's first call after it
            # (`f() { claude -v; }; npm i -g …; f`: the install runs first; FUNCTION_CALLS_AT).
            at, at_item = a, item
            if nested and FUNCTION_CALLS_AT:
                if bodies is None:
                    bodies = _function_bodies(df.text, script)
                if item in bodies:
                    if failing is None:  # (as below: the calls whose failure fails the RUN decide)
                        if walk is None:
                            kept = []
                            failing = failing_starts(ins, shell, None, script.staged, None, None, kept)
                            walk = kept[0] if kept else None
                        else:
                            failing = walk.failing()
                    at, at_item = _first_call_at(bodies, item, a, failing)
            if here and here_sure.get(harness.name, _INF) < at:
                continue
            if runner:
                if here_local is None:
                    here_local = _local_firsts(script, names)
                if harness.name in local or here_local.get(harness.name, _INF) < at:
                    continue  # `npm install <harness>` then `npx claude`: the local copy runs
            unsure = None  # why the harness may be there after all (then a warning, not an error)
            if here and here_any.get(harness.name, _INF) < at:
                unsure = (
                    "an npm install earlier in this RUN may be global (an npm_config_ variable the "
                    "stage's ARG or a --build-arg sets, or one not known)"
                )
            quiet = None  # why its failure may not fail the RUN (then a warning, not an error)
            word = argv[0]
            if not runner and "/" in word and directory_level(word.rsplit("/", 1)[0] or "/") != CERTAIN:
                # `./claude`, `node_modules/.bin/claude`, `/app/bin/claude`: a file in the image, not
                # the harness from the volume. Nothing to say once files were copied in or made.
                if files or any(
                    c.spans and (sp := c.spans[0]) is not None and sp[0] < at and not _makes_no_file(df.text, c)
                    for c in script.commands
                ):
                    continue
                unsure = f"`{word}` names a file in the image, and no earlier step puts files there"
            if script.fed and not runner and unsure is None and at < script.fed[0][0]:
                # A heredoc the line runs before this call (`bash <<EOF && claude -v`, `cat > f <<EOF
                # && sh f && claude -v`): what it installs or makes is there, though its text is after.
                if fed_firsts is None:
                    if provided is None:
                        provided = run_provides(df.text[ins.start : ins.end], ins.start, script, _NAMES, *place)
                    fed_firsts = _fed_firsts(run, script, here, provided)
                sure_item, any_item = fed_firsts.get(harness.name, _NEVER[:2])
                if sure_item < at_item:
                    continue
                if any_item < at_item:
                    unsure = f"a heredoc this RUN runs first may put `{name}` on PATH"
            lane = never.get(name) if not runner and unsure is None else harness
            if lane is not harness and lane is not False:
                lane, provided, firsts, code, here_local, sets_bash_env = _never_provided(
                    name, harness, df, ins, run, script, names, provided, firsts, place, maybe, files, local, never,
                    code, here_local, sets_bash_env,
                )  # fmt: skip
            if lane is False:
                # Where this RUN first provides the name: surely (not as a function), as a function,
                # in any way but a function, in any way (one index: a RUN of thousands of harness
                # calls and of files made is not a scan of the one per call of the other).
                sure_file, sure_function, not_function, anyhow = firsts.get(name, _NEVER)
                wrapped = start is not None and start != a
                # (A function of the name that the shell running the call cannot see, `claude() {
                # :; }; sh -c claude`: as if not defined, unless something else provides it.)
                unseen = (
                    FUNCTION_SCOPES
                    and anyhow < at
                    and not not_function < at
                    and _function_unseen(df.text, run, script, provided, name, at)
                )
                gone = (
                    anyhow < at and not not_function < at and not unseen and _unset_function(script, provided, name, at)
                )
                if not gone and (sure_file < at or (sure_function < at and not wrapped and not unseen)):
                    continue  # downloaded, linked, copied or defined earlier in this RUN
                if gone:
                    unsure = f"the shell function `{name}` defined earlier in this RUN, if the `unset` before it does not remove it"
                elif anyhow < at and not unseen:
                    unsure = f"this RUN may put `{name}` on PATH first"
                    if not not_function < at:
                        unsure = f"`{name}` is a shell function here, which a wrapper (`sudo`, `env`, …) does not see"
                elif (code := _project_code(script, run, names) if code is None else code) and code(
                    # (at a call: a body's command, nested, in the call's item, so that what the
                    # call's own words run first counts: `f() { "$@" && claude -v; }; f ./install.sh`)
                    cmd if at == a else cmd._replace(item=at_item),
                    at,
                ):
                    unsure = (
                        f"a command before it in this RUN runs the project's own code, which may put `{name}` on PATH"
                    )
                elif harness.name in maybe:
                    unsure = f"an earlier step may put `{name}` on PATH"
                elif _IMAGE in maybe:
                    unsure = f"the base image, not one known to lack it, may have `{name}`"
                elif (
                    maybe
                    or (sets_bash_env if sets_bash_env is not None else (sets_bash_env := _in_script("BASH_ENV", run)))
                ) and (why := _sourced(maybe, run, name)) is not None:
                    unsure = why
                elif ins.flags and _mounted_onto_path(run, name, place):
                    unsure = f"a `--mount` of this RUN puts files on PATH, which may include `{name}`"
                elif _path_may_hold(
                    harness.name, at, df, ins, script, names, files, local, place,
                    path_cache if path_cache is not None else (path_cache := [here_local, None, None]),
                ):  # fmt: skip
                    # `npm install @anthropic-ai/claude-code` (or `npm ci` of a package.json copied
                    # in), then `ENV PATH=/app/node_modules/.bin:$PATH` or `PATH=./node_modules/.bin:$PATH claude`.
                    unsure = (
                        "PATH names a directory a project install or the files copied in may fill (`node_modules/.bin`)"
                    )
            if (
                lane is harness
                and unsure is None
                and REPEAT_CALLS
                and not (runner or entered or here or script.fed)
                and at == a
            ):
                # Nothing but its position decides more of a call of the same words (the same
                # list: _read_plain shares it) in this RUN: installed earlier (``here``), fed
                # heredocs, a path, a provision (``never``: none), a package runner.
                if "/" not in argv[0]:
                    rep_argv, rep_harness = argv, harness
        if unsure is None and not runner and not waits:
            if failing is None:
                if walk is None:
                    kept: list = []  # (the RunWalk of the walk, if one ran: ONE_WALK)
                    failing = failing_starts(ins, shell, None, script.staged, None, None, kept)
                    walk = kept[0] if kept else None
                else:
                    failing = walk.failing()
            if a not in failing:
                sure_here = False
            elif df.text[a] in _EXPANSION_STARTS:
                # An expansion names it: the walk's command there may be another value's.
                if named is None:
                    named = (walk := walk or _run_walk(ins, shell, script)).named()
                sure_here = cmd.name in named.get(a, ())
            else:
                sure_here = True
            if sure_here and (carriage if carriage is not None else (carriage := "\r" in ins.logical)):
                # A carriage return inside the line (BuildKit drops only the one before a line
                # break): the shell reads it as a word's character, `true\r && claude` runs a
                # command `true\r` (not found), which aishell's reading of it as a blank does not.
                quiet = (
                    "this RUN's line holds a carriage return (`\\r`) inside it, which the shell reads "
                    "as part of a word (`true\\r` is no `true`): what runs here is not sure"
                )
            elif not sure_here:
                quiet = (
                    "its exit status does not surely decide the RUN's (it is in a condition, after `||` or "
                    "a test's `&&` (`[ … ] &&`, `command -v … &&`) with more after it, "
                    "before `||` or `|`, behind `!`, `&`, `$( )`, `trap` or a wrapper that may not run it "
                    "or pass its status on, more follows it without `set -e`, a command before it may end the "
                    "shell (`exit`, `exec`, `return`, `.`) or an EXIT trap may set the status, or the SHELL is "
                    "no POSIX shell)"
                )
        if (
            (unsure is not None or quiet is not None)
            and not runner
            and not waits
            and df.text.find("$", a, b) != -1
            and _within(
                unset_names
                if unset_names is not None
                else (unset_names := (walk := walk or _run_walk(ins, shell, script)).unsure()),
                a,
            )
        ):
            # `[ -f x ] && c=claude; $c` (never an error: the status walk counts it unsure): not
            # its status, nor what an earlier step may install, is why.
            quiet = f"the variable that names it may be unset there, or hold another value (`{df.text[a:b]}` then runs no command, or another)"
        if by_item is None:
            by_item = _by_item(script)
            n_items = len(script.items)  # (the script's, read once)
        # (_pipeline_edits' first answer, asked once per RUN: most items hold one command.)
        stage = _pipeline_edits(df.text, script, cmd) if item in by_item else None
        if stage is not None:
            edits, whole = stage or None, False  # in a pipeline with others: no fix
        elif before is not None and n_items == 1 and item == 0 and not nested and script.exact:
            edits, whole = (_drop_run(df, ins, before),), True  # drop_command's answer: the RUN's only item
        elif (
            n_items == 2
            and before is not None
            and item == 1
            and not nested
            and script.exact
            and BODY_DROP
            and run.heredocs
            and removes_run(df, ins, script, 1)
        ):
            # `RUN bash <<EOF` of `claude -v`: the body's one item, which the line's one item feeds
            # to a shell, the RUN going with it (drop_item's answer, drop_instruction's edit, with
            # the instruction before it at hand: BODY_DROP).
            edits, whole = (_drop_run(df, ins, before),), True
        else:
            # drop_command's answer, its guard here: one call per finding, not two.
            if nested or not script.exact or not (0 <= item < n_items):
                edits = None
            else:
                if clean is None:
                    # (Asked once a RUN of many items, of the whole RUN; per item for the others.)
                    clean = n_items > 8 and clean_run(df.text, ins)
                    # WRITES_CLEAN: a RUN clean but for its `>` writes (`printf x > f; ./f`).
                    writes_clean = not clean and n_items > 8 and WRITES_CLEAN and clean_run(df.text, ins, True)
                # (An item without a `>` of its own in a RUN clean but for its writes: drop_item's
                # ``removable`` reads a `>` only in the item, so the clean RUN's answer is its.)
                item_clean = clean or (
                    writes_clean and df.text.find(">", script.items[item][0], script.items[item][1]) < 0
                )
                if (
                    item_clean
                    and item
                    and CLEAN_INLINE
                    and ins.keyword == "RUN"
                    and df.text[script.items[item - 1][1] : script.items[item][0]] in _AND_OR
                ):
                    # drop_item's answer for an item after ` && ` or ` || ` in a clean RUN (no
                    # heredoc: no `<<`), without the call: it and the operator before it.
                    edits = (_new(Edit, (script.items[item - 1][1], script.items[item][1], "", None)),)
                elif (
                    item_clean
                    and item
                    and SEMI_INLINE
                    and ins.keyword == "RUN"
                    and not ins.heredocs
                    and _edits.JOINED_FIRST
                    and _edits.CLEAN_RUN
                    and item + 1 < n_items
                    and df.text[script.items[item - 1][1] : script.items[item][0]] == "; "
                    and _edits._sep(df.text, script.items, item) in _edits._JOINS
                ):
                    # drop_item's answer for an item after `; ` that begins an and-or list, not
                    # the last (`ln -s x claude; claude -v && …`) in a clean RUN: it and the
                    # operator after it, without the call.
                    edits = (_new(Edit, (script.items[item][0], script.items[item + 1][0], "", None)),)
                else:
                    edits = drop_item(df, ins, script, item, item_clean)
            # (removes_run is False for a RUN of more than two items: not asked then; for one of
            # two, True only for the second, a heredoc's body: not asked without heredocs.)
            whole = edits is not None and (
                n_items == 1
                or (
                    n_items == 2
                    and (not RUN_PRECHECKS or (item == 1 and run.heredocs))
                    and removes_run(df, ins, script, item)
                )
            )
        if edits and not whole and shell is None and (ins.sub or ins).json_args is None:
            # A SHELL that is no POSIX shell (`pwsh`, `cmd`) reads the line by its own grammar: in
            # cmd, `&` runs the next command (`echo a & claude -v` left `echo a &`, which cmd
            # refuses), in PowerShell it calls one. Only the whole RUN may go.
            edits = None
        # (The values as tuples, without their classes' Python-level __new__: a RUN may have
        # 800,000 findings.)
        if edits:
            word = argv[0]
            fix_message = fix_texts.get(word)
            if fix_message is None:
                fix_message = fix_texts[word] = said(f"Remove `{word}` from this RUN")
            fix = _new(Fix, (UNSAFE, fix_message, edits))
        else:
            fix = None
        exe = harness.executables[0]
        key = (exe, runner, waits, quiet, unsure, onbuild)
        if key != last_key:  # (the finding before's message: no look-up)
            known = texts.get(key)
            if known is None:
                known = texts[key] = _message(said, *key)
            last_key = key
        message, severity = known
        v = _new(Violation, (message, a, b, fix, severity))
        if (
            REPEAT_QUICK
            and quick is None
            and argv is rep_argv
            and fix is not None
            and not whole
            and key[1:5] == (False, False, None, None)
            and not carriage
            and clean
            and CLEAN_INLINE
            and SPAN_INLINE
            and ins.keyword == "RUN"
            and script.exact
        ):
            # (A repeat of this call, from here on, gets this finding's message and fix message:
            # REPEAT_QUICK. A fix here, so none that a SHELL of no POSIX shell takes away; a clean
            # RUN, of more than eight items, so none that takes the whole RUN.)
            quick = (message, severity, fix[1], argv, df.text, script.items, n_items)
        if pairs:
            yield v, whole  # the fix removes the whole RUN
        else:
            yield v


def _path_may_hold(name: str, a: int, df, ins, script, names, files, local, place, cache: list) -> bool:
    """A project install of ``name`` ran (or files were copied in), and PATH names a directory
    it may fill, by an ENV or in ``ins`` (a RUN of ``script``) before offset ``a``. Read once a
    RUN: a RUN of thousands of harness calls is not a scan of the RUN per call (``cache``:
    _check_run's [here_local, path_at, env_holds], filled as read)."""
    if not files and name not in local:
        if cache[0] is None:
            cache[0] = _local_firsts(script, names)
        if not cache[0].get(name, _INF) < a:
            return False
    if cache[2] is None:
        cache[2] = any(_may_hold(d) for d in place[1])
    if cache[2]:
        return True
    if cache[1] is None:
        cache[1] = _path_set_at(df.text, ins.start, ins.end, files)
    return cache[1] < a


def _never_provided(
    name: str, harness, df, ins, run, script, names, provided, firsts, place, maybe, files, local, never,
    code, here_local, sets_bash_env,
):  # fmt: skip
    """Nothing the RUN ``ins`` (``run``: the RUN it is or carries, ``script`` its script) does (no
    provision of ``name``, function, project code, PATH directory a project install fills) nor an
    earlier step (maybe, $BASH_ENV, a profile, a --mount) may put ``name`` (``harness``'s) on PATH:
    _check_run's provision checks say nothing for any of its commands. Asked once per name
    (``never``, which gets the answer). (The answer: ``harness`` for yes, False for no; and
    _check_run's caches, read as needed: provided, firsts, code, here_local, sets_bash_env.)"""
    if firsts is None:
        if provided is None:
            provided = run_provides(df.text[ins.start : ins.end], ins.start, script, _NAMES, *place)
        firsts = _first_provisions(provided) if provided else _NO_FIRSTS
    never[name] = False
    if not NEVER_PROVIDED or name in firsts or harness.name in maybe or _IMAGE in maybe:
        return False, provided, firsts, code, here_local, sets_bash_env
    if code is None:
        code = _project_code(script, run, names)
    if code:
        return False, provided, firsts, code, here_local, sets_bash_env
    if maybe or (sets_bash_env if sets_bash_env is not None else (sets_bash_env := _in_script("BASH_ENV", run))):
        if _sourced(maybe, run, name) is not None:
            return False, provided, firsts, code, here_local, sets_bash_env
    if ins.flags and _mounted_onto_path(run, name, place):
        return False, provided, firsts, code, here_local, sets_bash_env
    if files or harness.name in local:
        return False, provided, firsts, code, here_local, sets_bash_env
    if here_local is None:
        here_local = _local_firsts(script, names)
    if harness.name in here_local:
        return False, provided, firsts, code, here_local, sets_bash_env
    never[name] = harness
    return harness, provided, firsts, code, here_local, sets_bash_env


# _check_run's shortcut for a command whose name nothing may put on PATH (_never_provided): the
# provision checks skipped. tests/test_ais002_never_provided.py compares it with the checks (False).
NEVER_PROVIDED = True
_INF = float("inf")

# FUNCTION_CALLS_AT: a harness call in the body of a function the RUN defines (a top-level item
# `f() { … }` or `function f { … }`) runs where the function is first called after it, not where
# the body is written: what runs before that call (an install, the project's code, a PATH entry)
# is before it. The body's commands are read where it is defined, so `f() { claude -v; }; npm i
# -g @anthropic-ai/claude-code; f` was an error where the build passes (r69a's left-out class).
# tests/test_ais002_function_calls.py runs generated scripts through dash with it on and off.
FUNCTION_CALLS_AT = True
_DEFINITION = re.compile(
    r"[ \t]*(?:function[ \t]+([^\s(){}<>;&|'\"\\$`]+)[ \t]*(?:\([ \t]*\))?|([^\s(){}<>;&|'\"\\$`=]+)[ \t]*\([ \t]*\))[ \t\n]*[{(]"
)


def _function_bodies(text: str, script) -> dict[int, tuple[str, int, list[tuple[int, int]]]]:
    """The top-level items of ``script`` that define a function: item index -> (its name, where
    the item ends, the (place, item) of each command of that name in the script: its calls)."""
    defs = {}
    for i, (x, y) in enumerate(script.items):
        if (m := _DEFINITION.match(text, x, y)) is not None:
            defs[i] = (m.group(1) or m.group(2), y)
    if not defs:
        return {}
    names = {name for name, _ in defs.values()}
    calls: dict[str, list[tuple[int, int]]] = {}
    for c in script.commands:
        if c.name in names and c.spans and (first := c.spans[0]) is not None:
            calls.setdefault(c.name, []).append((first[0], c.item))
    return {i: (name, end, calls.get(name, [])) for i, (name, end) in defs.items()}


def _first_call_at(bodies: dict, item: int, a: int, failing, depth: int = 0) -> tuple[int, int]:
    """(place, item) of the call after its definition of the function that top-level item
    ``item`` defines where a call in its body is judged: the first call whose failure fails the
    RUN (``failing``: failing_starts'), else the first call (`f; npm i -g …; f` without errexit:
    the first call's failure is ignored, the last decides). A call in another such function's
    body runs where that one is called (at most 8 deep). (``a``, ``item``) when none is: the body
    as written, as before."""
    _, end, calls = bodies[item]
    later = [call for call in calls if call[0] >= end]
    if not later:
        return a, item
    deciding = [call for call in later if call[0] in failing]
    place, call_item = min(deciding or later)
    if call_item != item and call_item in bodies and depth < 8:
        return _first_call_at(bodies, call_item, place, failing, depth + 1)
    return place, call_item


_NO_FIRSTS: dict = {}  # (_firsts and _first_provisions of nothing; never written)


def _firsts(found) -> dict[str, int]:
    """Per name of (name, offset, …) entries (installs), its first offset."""
    out: dict[str, int] = {}
    for entry in found:
        name, at = entry[0], entry[1]
        if at < out.get(name, _INF):
            out[name] = at
    return out


def _shell_harness(ins) -> tuple | None:
    """(the SHELL, the harness executable) when a SHELL's JSON form names one as its program
    (`SHELL ["claude", "-p"]`, `["/usr/local/bin/claude"]`, `["/usr/bin/env", "codex"]`): every
    RUN of the shell form after it runs the harness. Not a path outside the PATH directories
    (`["./claude"]`: a file in the image)."""
    argv = ins.json_args
    if not argv:
        return None
    word = argv[0]
    if word.rsplit("/", 1)[-1] == "env" and len(argv) > 1:
        word = next((w for w in argv[1:] if not w.startswith("-") and "=" not in w), "")
    name = word.rsplit("/", 1)[-1]
    if name not in BY_EXECUTABLE:
        return None
    if "/" in word and directory_level(word.rsplit("/", 1)[0] or "/") != CERTAIN:
        return None
    return ins, name


def _shell_finding(run, found, installed, maybe, effects, said):
    """The finding for a SHELL naming a harness (``found``: _shell_harness'), at the SHELL, once
    ``run`` (a RUN of the shell form) runs it: an error unless an earlier step put the harness
    there (surely: nothing; probably, or on an image not known to lack it: a warning)."""
    ins, exe = found
    harness = BY_EXECUTABLE[exe].name
    sure, probable = set(installed), set(maybe)
    for effect in effects:
        sure |= effect[0]
        probable |= effect[1]
    if harness in sure:
        return None
    unsure = None
    if harness in probable:
        unsure = f"an earlier step may put `{exe}` on PATH"
    elif _IMAGE in probable:
        unsure = f"the base image, not one known to lack it, may have `{exe}`"
    message, severity = _message(said, exe, False, False, None, unsure, False)
    message = said(message.replace("this RUN would fail", f"the RUN on line {run.start_line} (its SHELL) would fail"))
    return _new(Violation, (message, ins.start, ins.end, None, severity))


def _run_walk(ins, shell, script) -> RunWalk:
    """The RUN's status walk for _check_run's asks after the first (failing_starts' ``keep``): .failing,
    .named, .unsure (the source spans, sorted, of the expansions that name a command with a value
    not sure there: `[ -f x ] && c=claude; $c`, `… || $c`: unset, or another value)."""
    return RunWalk(ins, shell, script.staged)


def _within(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` is inside one of the sorted, disjoint ``spans``."""
    k = bisect_right(spans, (at, _INF)) - 1
    return k >= 0 and spans[k][0] <= at < spans[k][1]


def _message(said, exe: str, runner: bool, waits: bool, quiet, unsure, onbuild: bool) -> tuple[str, str | None]:
    """A finding's message and severity (None: the rule's) from what _check_run found."""
    severity = "warning"
    if runner == PROJECT_RUNNER:
        # `yarn exec claude`, `yarn claude`: the project's copy (or a package.json script of its
        # name) runs, which files copied in may hold. Not sure to fail: a warning.
        message = (
            f"`{exe}` runs at build time through a package manager, which runs the project's copy "
            "(node_modules/.bin) or a script of that name, or fails (harnesses come from the harness "
            "volume at run time)"
        )
    elif runner == TOOL_RUNNER:
        # `poetry run claude`, `mise exec npm:@openai/codex -- codex`: what the tool's environment
        # provides runs (mise's npm backend and nix fetch it). Not sure to fail: a warning.
        message = (
            f"`{exe}` runs at build time through a tool or environment manager, which runs the copy its "
            "environment provides (or fetches), or fails (harnesses come from the harness volume at run time)"
        )
    elif runner:
        # A package runner fetches what it does not find: the build may well succeed,
        # with a harness downloaded into this step. Not sure to fail: a warning.
        message = (
            f"`{exe}` runs at build time through a package runner, which downloads it into this step "
            "unless installed (harnesses come from the harness volume at run time)"
        )
    elif waits:
        # It runs when another image is built FROM this one, not in this build.
        message = (
            f"`{exe}` runs when an image is built FROM this one (ONBUILD), where harnesses exist only "
            "at run time (from the harness volume)"
        )
    elif quiet is not None:
        message = (
            f"`{exe}` runs at build time, where harnesses exist only at run time (from the harness volume); {quiet}"
        )
    elif unsure is not None:
        message = (
            f"`{exe}` runs at build time, where harnesses exist only at run time (from the harness "
            f"volume), unless the Dockerfile provides it: {unsure}"
        )
    elif onbuild:
        severity = None
        message = (
            f"`{exe}` runs at build time (this ONBUILD runs first in a stage of this Dockerfile built "
            "FROM this one), but harnesses exist only at run time (from the harness volume); that "
            'stage would fail with "command not found"'
        )
    else:
        severity = None
        message = (
            f"`{exe}` runs at build time, but harnesses exist only at run time (from the harness "
            'volume); this RUN would fail with "command not found"'
        )
    return said(message), severity


_BY_ITEM: dict[int, tuple[object, dict]] = {}  # the last scripts' items of several commands
_NO_ITEMS: dict = {}  # (_by_item's answer for a script whose items hold one command each; never written)
_ITEM = attrgetter("item")


def _by_item(script) -> dict[int, list]:
    """The script's commands by list item, for the items of more than one command (an item
    missing holds one: most do, and a RUN of 800,000 harness calls kept a tuple each), read once
    per script (a RUN of 6,400 harness commands asks for each one's item: a scan each was
    quadratic)."""
    hit = _BY_ITEM.get(id(script))
    if hit is not None and hit[0] is script:
        return hit[1]  # (first: _pipeline_edits asks again for each finding in an item of several)
    commands = script.commands
    if RUN_PRECHECKS and len(set(map(_ITEM, commands))) == len(commands):
        return _NO_ITEMS  # each item holds one command (most RUNs): nothing to read, nor to remember
    firsts: dict = {}  # item -> its first command (only while reading)
    first = firsts.setdefault
    out: dict[int, list] = {}
    for c in script.commands:
        f = first(c.item, c)
        if f is not c:
            got = out.get(c.item)
            if got is None:
                out[c.item] = [f, c]
            else:
                got.append(c)
    if len(_BY_ITEM) > 64:
        _BY_ITEM.clear()
    _BY_ITEM[id(script)] = (script, out)
    return out


def _pipeline_edits(text: str, script, cmd):
    """() when the harness command shares its list item with other commands (the other stages of
    its pipeline): no fix. Removing its stage changes what the others do: a stage after it reads
    the RUN's input instead of its output (`claude -v | tee /v` became `tee /v`, an empty file),
    and one before it may never end without its reader (`yes | claude ...` became `yes`, a build
    that never ends). None when the item holds only it (with its wrappers and what its arguments
    run), which drop_command removes."""
    if cmd.nested or not script.exact or not (0 <= cmd.item < len(script.items)) or cmd.start is None:
        return None
    if cmd.item not in _by_item(script):
        return None  # the item is this command alone (most are): nothing to keep, nothing to remember
    a, b = script.items[cmd.item]
    if not (a <= cmd.start < b):
        return None  # (a command outside its item's span: none is, analyse_run numbers every part's items)
    if cmd.end is not None:
        return _stage_edits(text, _pipeline(text, script, cmd.item), cmd)
    return _pipeline_edits_slow(text, script, cmd, a, b)


_PIPES: dict[int, tuple[object, str, dict]] = {}  # the last scripts' pipelines by item


def _pipeline(text: str, script, item: int) -> list[int]:
    """The sorted starts of the commands in a list item (those inside its span), what
    ``_pipeline_edits`` asks of it, read once per item (a pipeline of 4,000 harness stages asked
    once per stage, a scan of the whole pipeline each: quadratic)."""
    hit = _PIPES.get(id(script))
    if hit is None or hit[0] is not script or hit[1] is not text:
        if len(_PIPES) > 64:
            _PIPES.clear()
        hit = _PIPES[id(script)] = (script, text, {})
    memo = hit[2]
    starts = memo.get(item)
    if starts is None:
        a, b = script.items[item]
        starts = memo[item] = sorted(
            c.start for c in _by_item(script).get(item, ()) if c.start is not None and a <= c.start < b
        )
    return starts


def _outside(starts: list, lo: int, hi: int) -> int:
    """How many of the sorted ``starts`` are not in [lo, hi)."""
    return len(starts) - (bisect_left(starts, hi) - bisect_left(starts, lo))


def _stage_edits(text: str, every: list[int], cmd):
    """``_pipeline_edits`` from the item's ``_pipeline`` (its commands' starts)."""
    if not _outside(every, cmd.start, cmd.end):
        return None
    return ()  # another stage of its pipeline: see _pipeline_edits


def _pipeline_edits_slow(text: str, script, cmd, a: int, b: int):
    """``_pipeline_edits`` for an item ``_pipeline`` cannot answer for all its commands at once."""
    start, end = cmd.start, cmd.end
    others = [
        c
        for c in _by_item(script).get(cmd.item, ())
        if c.start is not None and a <= c.start < b and not (start <= c.start < end)
    ]
    return () if others else None  # another stage of its pipeline: see _pipeline_edits


_NEVER = (float("inf"),) * 4


def _fed_firsts(ins, script, here, provided) -> dict[str, tuple[float, float]]:
    """Per harness name: the first item of the RUN's line that runs a heredoc (``script.fed``)
    that installs it (``here``: _installs') or puts its executable on PATH (``provided``:
    run_provides'), surely and in any way (infinity: none). Not a function or a PATH it sets:
    they stay in the shell that runs the heredoc."""
    inf = float("inf")
    starts = [h.line_offsets[0] for h in ins.heredocs if h.line_offsets]
    runs_at = dict(script.fed or ())
    out: dict[str, list] = {}

    def add(name: str, at: int, sure: bool) -> None:
        k = bisect_right(starts, at)
        item = runs_at.get(starts[k - 1], inf) if k else inf
        if item < inf:
            firsts = out.setdefault(name, [inf, inf])
            if sure:
                firsts[0] = min(firsts[0], item)
            firsts[1] = min(firsts[1], item)

    for name, at, sure in here:
        add(name, at, sure)
    for name, at, level, how in provided:
        if how not in ("function", "path", "script") and name in BY_EXECUTABLE:
            add(BY_EXECUTABLE[name].name, at, level == CERTAIN)
    return {name: tuple(f) for name, f in out.items()}


# A shell function is seen by the shell that defines it and the subshells it forks after: not by
# a new process. _function_unseen reads the commands that start one for the string they are given
# (`sh -c`, `bash -c`, `su -c`, `flock -c`, `find -exec`, `xargs sh -c`, …); tests/test_ais002_scopes.py
# runs the generated forms in dash and bash (off: every function of the name defined earlier counts).
FUNCTION_SCOPES = True
# ... and a definition in a pipeline's element or a list run in the background (a subshell too):
# not seen after it (`claude() { :; } | true; claude`). tests/test_ais002_scopes.py.
FUNCTION_PIPED = True
# The commands whose string the reader reads as a script of a new process (aishell.shell's
# _nested callers other than eval's and trap's, which run theirs in the same shell).
_NEW_PROCESS = frozenset(
    {
        "sh",
        "dash",
        "bash",
        "ash",
        "ksh",
        "mksh",
        "zsh",
        "busybox",
        "su",
        "runuser",
        "sg",
        "flock",
        "find",
        "xargs",
        "parallel",
    }
)
# ... of which these exec what they run with no shell: a function is never there, exported or not.
_NO_SHELL = frozenset({"find", "xargs"})
# What may export a function to a bash started later (`export -f`, `declare -fx`, `set -a`, an
# `ENV BASH_FUNC_…`): there the old reading (any definition before the call counts) stays.
_EXPORTING = re.compile(
    r"\b(?:export|declare|typeset|readonly|local|allexport)\b|BASH_FUNC|\b(?:set|bash)\s+(?:[-+]\w+\s+)*[-+]\w*a"
)
# A substitution or process substitution: its command runs in a subshell of the shell that reads
# the word, not in the process the word is given to.
_SUBSTITUTES = re.compile(r"\$\(|`|[<>]\(")


def _function_unseen(text: str, run, script, provided, name: str, at: int) -> bool:
    """Whether no shell function ``name`` the RUN (``run``, ``script`` its script) defines before
    ``at`` (run_provides' positions in ``text``, the Dockerfile's) is seen by the shell that runs
    the command at ``at``: each definition is in a subshell that ended before it (`(claude() {
    :; }); claude`), in the string of another new process (`sh -c 'claude() { :; }'; claude`),
    or in the shell that started the new process the call is in (`claude() { :; }; sh -c
    claude`): the innermost such command of each must be the same one. Anything unsure (a
    substitution between, a function that may be exported to a bash) answers False: the
    definition counts, as before."""
    if UNSEEN_MEMO:
        return _unseen_read(text, script).unseen(run, provided, name, at)
    here = _new_process_at(text, script, at)
    for n, k, _, how in provided:
        if n == name and how == "function" and k < at:
            if run.json_args is None and _subshell_ends(text, k, at):
                continue  # defined in a subshell that ended before the call
            if FUNCTION_PIPED and run.json_args is None and _piped_or_background(text, k, at):
                continue  # defined in a pipeline's element or the background: a subshell too
            there = _new_process_at(text, script, k)
            if there is False:
                return False
            if there is not None and not there.start < at < there.end:
                continue  # defined in another process's string (`sh -c 'claude() { :; }'; claude`)
            if here is False or there is here:
                return False  # (unsure, or defined in the shell that runs the call)
            # Defined in the shell that started the call's process (`claude() { :; }; sh -c
            # claude`): seen there only if exported to a bash.
            if here.name not in _NO_SHELL and _EXPORTING.search(text) is not None:
                return False
    return True


# The words after which a `(` opens a subshell (elsewhere, after a word, it is a function's `()`).
_BEFORE_SUBSHELL = frozenset({"then", "do", "else", "!", "{", "time"})
# The operators that end a `case` item: met with no `case` read, the text starts inside one.
_CASE_ENDS = frozenset({";;", ";&", ";;&", ";|"})


def _subshell_ends(text: str, k: int, at: int) -> bool:
    """Whether a `)` between ``k`` and ``at`` in ``text`` (shell text of one form: a RUN's line
    or body) surely closes a `( )` subshell opened before ``k``: one with no `(` of its own
    between, outside any `case` the text opens (a pattern's `)`), with no sign that ``k`` is
    inside a `case` item (an `esac` or `;;` before any `case`)."""
    opened = cases = 0
    prev = None
    for t in tokenize(text[k:at])[0]:
        kind, word = t.kind, t.text
        if kind == "op":
            if word == "(":
                opened += 1
            elif word == ")":
                if opened:
                    opened -= 1
                elif not cases:
                    return True
            elif word in _CASE_ENDS and not cases:
                return False
        elif prev is None or prev.kind == "op" or prev.text in _BEFORE_SUBSHELL:
            if word == "case":
                cases += 1
            elif word == "esac":
                if not cases:
                    return False
                cases -= 1
        prev = t
    return False


# Opening and closing words of compound commands (at a command's start) and `( )`: the depth a
# definition's body and the commands after it are read at (_piped_or_background).
_OPENS = frozenset({"{", "if", "case", "do"})
_CLOSES = frozenset({"}", "fi", "esac", "done"})
_LIST_ENDS = frozenset({";", "\n", ";;", ";&", ";;&", ";|"})


def _piped_before(text: str, k: int) -> bool:
    """Whether the operator before ``k`` (blanks and continued lines skipped) is a pipe: `|`, or
    bash's `|&`."""
    j = k
    while j > 0:
        if text[j - 1] in " \t":
            j -= 1
        elif text[j - 1] == "\n" and j > 1 and text[j - 2] == "\\":
            j -= 2
        else:
            break
    if j > 0 and text[j - 1] == "|" and (j < 2 or text[j - 2] != "|"):
        return True
    return j > 1 and text[j - 1] == "&" and text[j - 2] == "|"


def _shaped(toks: list, j: int) -> bool:
    """Whether the definition whose first token is ``toks[j]`` has the shape the pipe scans read:
    `name ( ) {` or `name ( ) (` (its body in braces or a subshell)."""
    return j + 3 < len(toks) and toks[j + 1].text == "(" and toks[j + 2].text == ")" and toks[j + 3].text in ("{", "(")


def _piped_or_background(text: str, k: int, at: int) -> bool:
    """Whether the function definition at ``k`` in ``text`` is surely in a pipeline's element
    (`claude() { :; } | true`, `true | claude() { :; }`, `{ claude() { :; }; } | cat`, `if …; then
    claude() { :; }; fi | cat`) or in a list run in the background (`claude() { :; } && true &`),
    ending before ``at``: each runs in a subshell, and the definition ends with it. Only a body in
    `{ }` or `( )`; anything else answers False (the definition counts, as before)."""
    if _piped_before(text, k):
        return True
    toks = tokenize(text[k:at])[0]
    if not _shaped(toks, 0):
        return False
    depth = cases = 0
    # Whether the command read at depth 0 holds the definition: its own, until its list ends;
    # then the compound around it, once its closing word is read (`{ f() { :; }; } | cat`).
    own = True
    prev = toks[2]
    for t in toks[3:]:
        kind, word = t.kind, t.text
        start = prev.kind == "op" or prev.text in _BEFORE_SUBSHELL or prev.text in ("elif", "in")
        if kind == "op":
            if word == "(" and not cases:
                depth += 1
            elif word == ")" and not cases:
                if not depth:
                    return False  # (an enclosing subshell's: _subshell_ends reads it)
                depth -= 1
            elif not depth:
                if word in ("|", "|&", "&"):
                    if own:
                        return True
                elif word in _LIST_ENDS:
                    own = False  # (what follows is another command of the same shell)
        elif kind == "word" and start:
            if word in _OPENS:
                depth += 1
                cases += word == "case"
            elif word in _CLOSES:
                if depth:
                    depth -= 1
                    cases -= word == "esac" and cases > 0
                else:
                    own = True  # (the compound holding the definition ends: its pipeline next)
        prev = t
    return False


# _function_unseen reads each RUN once for all its calls (_Unseen), not once per call and
# definition: it tokenized the text from each definition to each call (`claude() { :; }` then
# 2,000 calls: 15 s for 22 KB, a definition per call: 77 s for 56 KB), and scanned every command
# for the new process around each offset and each `unset`. The same answers
# (tests/test_function_unseen_fast.py: on and off over generated RUNs, every definition and call).
UNSEEN_MEMO = True
# ... and a definition whose scans stand, from its first token on, where an earlier one's do (the
# same process, nothing opened between: `claude() { :; }; claude() { :; }; sh -c claude`) not
# read for each call: the earlier one is seen wherever it is (_Unseen._same_scope). Each of 1,000
# such definitions read its tokens to each of 1,000 calls after them: 37 s for 36 KB.
# tests/test_function_unseen_fast.py compares the findings with this off.
SCOPES_MERGED = True
# ... and at most _UNSEEN_KEPT definitions read for a call that none of them is taken out
# before (each in a subshell or compound still open there, nested: `( claude() { :; }; (
# claude() { :; }; …`, which SCOPES_MERGED does not merge); past them the answer is unsure
# (the definitions count, as before FUNCTION_SCOPES: no error for the call). Each of 1,000 such
# definitions read its tokens to each of 1,000 calls: 27 s for 42 KB.
# tests/test_function_unseen_fast.py: the answer past the bound, and the growth guard.
UNSEEN_BOUND = True
_UNSEEN_KEPT = 32
# ... and the innermost new process around an offset found in a tree of those commands, not by
# trying each (2,000 `sh -c` calls and as many definitions: 8 million tries; _Unseen._innermost).
# tests/test_function_unseen_fast.py compares process_at with _new_process_at at every offset.
PROCESS_TREE = True
_UNSEEN: list = [None, None, None]  # (text, script, their _Unseen): the RUN being read


def _unseen_read(text: str | None, script) -> _Unseen:
    """The _Unseen of the RUN ``script`` is (``text``: the Dockerfile's; None: any, for
    _unset_function, which reads no text)."""
    if _UNSEEN[1] is not script or (text is not None and _UNSEEN[0] is not text):
        _UNSEEN[:] = [text, script, _Unseen(text, script)]
    elif text is not None and _UNSEEN[2].text is None:
        _UNSEEN[0] = _UNSEEN[2].text = text
    return _UNSEEN[2]


class _Unseen:
    """What _function_unseen and _unset_function read of one RUN's script, for all its calls: the
    commands that start new processes, where the text has substitutions, the `unset`s, and per
    definition its tokens as far as a call has needed them (_Scan)."""

    def __init__(self, text: str | None, script):
        self.text = text
        self.script = script
        self.exporting: bool | None = None  # _EXPORTING found in the text
        self.procs = [
            c for c in script.commands if c.name in _NEW_PROCESS and c.start is not None and c.end is not None
        ]
        self.hi = max((c.end for c in script.commands if c.end is not None), default=0)
        self.subs: tuple | None = None  # _SUBSTITUTES' matches: (starts, ends)
        self.scans: dict[int, _Scan] = {}
        self.places: dict[int, object] = {}  # offset -> _new_process_at's answer
        self.unsets: dict[str, list[int]] = {}  # name -> offsets of the `unset`s that remove its function
        self.alive: dict[str, list] = {}  # name -> its definitions not yet skipped for good (unseen)
        self.tree = None  # _tree's answer, made at the first look-up (None: not yet)
        self.merged: dict[int, tuple] = {}  # k2 -> (the definition before it, _same_scope's answer)
        self.clear: dict[int, int] = {}  # k1 -> how far from it the text holds no `<<` (_no_heredoc)

    def process_at(self, at: int):
        """_new_process_at(text, script, at)."""
        got = self.places.get(at, self)
        if got is not self:
            return got
        best = self._innermost(at)
        if best is not None:
            if at > self.hi:  # (past the RUN's last command: not known to happen; read as before)
                if _SUBSTITUTES.search(self.text, best.start, at) is not None:
                    best = False
            else:
                if self.subs is None:
                    lo = min(c.start for c in self.procs)
                    found = [(m.start(), m.end()) for m in _SUBSTITUTES.finditer(self.text, lo, self.hi)]
                    self.subs = ([a for a, _ in found], [b for _, b in found])
                # The first match from best.start is the only one that may end by `at` (each is
                # one or two characters, and none starts inside another).
                starts, ends = self.subs
                i = bisect_left(starts, best.start)
                if i < len(starts) and ends[i] <= at:
                    best = False
        self.places[at] = best
        return best

    def _innermost(self, at: int):
        """The innermost command of procs whose span holds ``at``, past its start (the first in
        script order of those that start last: _new_process_at's), or None. Commands that nest
        (each inside the other or apart, no two starting at one offset) are read as a tree: the
        last to start before ``at``, or the nearest command around it that holds ``at`` (the
        one around the last that holds it is one of those around that one). Others: each
        command is tried (PROCESS_TREE off, or a tree that does not nest)."""
        tree = self.tree
        if tree is None:
            tree = self.tree = self._tree() if PROCESS_TREE else False
        if tree is False:
            return _innermost_command(self.procs, at)
        starts, order, parent = tree
        i = bisect_left(starts, at) - 1
        while i >= 0:
            c = order[i]
            if c.end > at:
                return c
            i = parent[i]
        return None

    def _tree(self):
        """(starts, commands in the order of their starts, each one's parent index or -1) of
        procs, or False when two start at one offset or one ends past the one around it."""
        order = sorted(self.procs, key=lambda c: c.start)
        starts = [c.start for c in order]
        parent: list[int] = []
        stack: list[int] = []
        for i, c in enumerate(order):
            if i and starts[i - 1] == c.start:
                return False
            while stack and order[stack[-1]].end <= c.start:
                stack.pop()
            if stack and c.end > order[stack[-1]].end:
                return False
            parent.append(stack[-1] if stack else -1)
            stack.append(i)
        return starts, order, parent

    def unseen(self, run, provided, name: str, at: int) -> bool:
        """_function_unseen(text, run, script, provided, name, at). Each definition answers alone
        (skipped, or seen: then False), so they are read in any order; one skipped for good (its
        subshell or pipeline ended, or the new process it is in, before ``at``) is dropped from
        the list later calls read (calls come in order; one before the last starts the list
        again)."""
        here = self.process_at(at)
        shell_form = run.json_args is None
        got = self.alive.get(name)
        if got is None or got[0] is not provided or at < got[1]:
            defs = sorted(k for n, k, _, how in provided if n == name and how == "function")
            got = self.alive[name] = [provided, at, defs, 0, []]  # provided, last at, defs, next, alive
        got[1] = at
        defs, i, alive = got[2], got[3], got[4]
        while i < len(defs) and defs[i] < at:
            if not (SCOPES_MERGED and shell_form and i and self._merged(defs[i - 1], defs[i])):
                alive.append(defs[i])
            i += 1
        got[3] = i
        kept = []
        for pos, k in enumerate(alive):
            if UNSEEN_BOUND and len(kept) >= _UNSEEN_KEPT:
                got[4] = kept + alive[pos:]
                return False  # (unsure: the definitions count, as before FUNCTION_SCOPES)
            there = self.process_at(k)
            if there is not None and there is not False and not there.start < at < there.end:
                continue  # for good (at is past its end); what the checks below end with too
            if shell_form:
                # (The pipe scan first: a definition piped or in the background is taken out by
                # the operator just after it, and then its subshell scan is never read.)
                scan = self._scan(k)
                ended = False
                if FUNCTION_PIPED:
                    ended = scan.piped(at)
                    if ended is None:
                        ended = _piped_or_background(self.text, k, at)
                    elif ended:
                        continue  # for good
                if not ended:
                    ended = scan.subshell(at)
                    if ended is None:
                        ended = _subshell_ends(self.text, k, at)
                    elif ended:
                        continue  # for good: its subshell ended before at
                if ended:
                    kept.append(k)
                    continue
            if there is False or here is False or there is here:
                got[4] = kept + alive[pos:]
                return False
            if here.name not in _NO_SHELL:
                if self.exporting is None:
                    self.exporting = _EXPORTING.search(self.text) is not None
                if self.exporting:
                    got[4] = kept + alive[pos:]
                    return False
            kept.append(k)
        got[4] = kept
        return True

    def _scan(self, k: int) -> _Scan:
        scan = self.scans.get(k)
        if scan is None:
            scan = self.scans[k] = _Scan(self.text, k)
        return scan

    def _merged(self, k1: int, k2: int) -> bool:
        """_same_scope(k1, k2), asked once for the two (the list of definitions unseen() reads
        is made again for a call before the last: the answer is the same)."""
        got = self.merged.get(k2)
        if got is None or got[0] != k1:
            got = self.merged[k2] = (k1, self._same_scope(k1, k2))
        return got[1]

    def _same_scope(self, k1: int, k2: int) -> bool:
        """Whether the definition at ``k2`` (shell form) is seen by a call after it only where the
        one at ``k1`` (before it) is seen too, so that unseen() need not read it (SCOPES_MERGED).

        Both must be in the same process (process_at), and each of k1's two scans, read as far
        as ``k2``, must either have decided that it never takes k1 out (a `;;` or `esac` with no
        `case`, an enclosing `)`), or stand at k2's first token, no heredoc pending, with nothing
        open since k1 (no `(`, compound or `case`): there k2's scan starts in the same state, but
        for the pipe scan's "own" (k2's: True, its own command; k1's: True or False), which lets
        k2's be taken out first, never k1's alone. From there both read the same tokens: k1 is
        taken out only where k2 is. k2's definition must have the shape the pipe scan reads
        (`name ( ) {` or `(`), else its pipe scan would never take it out where k1's may.
        (Something open between, `( claude() { :; }; ( claude() { :; }`, is not merged: a
        closing word the pipe scan matches with any opening one, `esac` for a `(`, lets k1's
        pipe scan go on where k2's has stopped; tests/test_function_unseen_fast.py.)"""
        there = self.process_at(k1)
        if there is False or self.process_at(k2) is not there:
            return False
        # (k1's own scans when unseen() reads it, else scans read here only, as far as k2.)
        scan = self.scans.get(k1) or _Scan(self.text, k1)
        r = k2 - k1
        aligned = False
        if FUNCTION_PIPED:  # (first: a definition piped, or in the background, is decided at once)
            if scan.piped(k2) is not False:
                return False
            pipe = scan.pipe
            if pipe[5] is None:
                j = pipe[0]
                if pipe[1] or pipe[2] or not self._at_token(scan, j, r) or not _shaped(scan.toks, j):
                    return False
                aligned = True
            elif pipe[5][0] is not False:
                return False
        if scan.subshell(k2) is not False:
            return False
        sub = scan.sub
        if sub[4] is None:
            if sub[1] or sub[2] or not self._at_token(scan, sub[0], r):
                return False
            aligned = True
        elif sub[4][0] is not False:
            return False
        return not aligned or self._no_heredoc(k1, k2)

    @staticmethod
    def _at_token(scan: _Scan, j: int, r: int) -> bool:
        """Whether the scan's next token (index ``j``) starts at ``r`` and is a name, no word a
        scan reads as opening or closing something."""
        toks = scan.toks
        return j < len(toks) and toks[j].a == r and toks[j].kind == "word" and toks[j].text not in _SCOPE_WORDS

    def _no_heredoc(self, k1: int, k2: int) -> bool:
        """Whether the text from ``k1`` to ``k2`` holds no `<<` (a heredoc pending at k2 would make
        the tokens read from k1 differ from those read from k2). Each k1's clear reach is kept,
        so that the search runs once over the text, however many k2 are compared with it."""
        clear = self.clear.get(k1, k1)
        if clear >= k2:
            return True
        if self.text.find("<<", max(k1, clear - 1), k2) >= 0:
            return False
        self.clear[k1] = k2
        return True

    def unset_after(self, provided, name: str, at: int) -> bool:
        """_unset_function(script, provided, name, at)."""
        unsets = self.unsets.get(name)
        if unsets is None:
            unsets = self.unsets[name] = sorted(
                c.spans[0][0] for c in self.script.commands if c.name == "unset" and _unsets(c, name)
            )
        if not unsets:
            return False
        last = max((k for n, k, _, how in provided if n == name and how == "function" and k < at), default=-1)
        i = bisect_right(unsets, last)
        return i < len(unsets) and unsets[i] < at


# Words a scan reads as opening or closing something: a definition's first token must be none.
_SCOPE_WORDS = frozenset(
    {"case", "esac", "{", "}", "if", "fi", "do", "done", "then", "else", "elif", "in", "!", "time"}
)


def _unsets(c, name: str) -> bool:
    """Whether the `unset` command ``c`` removes the shell function ``name`` (_unset_function)."""
    if c.spans[0] is None or name not in c.argv[1:]:
        return False
    options = "".join(w[1:] for w in c.argv[1 : c.argv.index(name)] if w.startswith("-"))
    return "v" not in options or "f" in options


# _Scan's first window: most scans decide within a few tokens (a definition piped or in the
# background, in a subshell that ends at once); a longer one doubles it as far as it reads.
_SCAN_WINDOW = 256


class _Scan:
    """_subshell_ends and _piped_or_background for one definition at ``k`` and any call after it:
    the tokens of the text from ``k`` read once, as far as the calls need (a window that doubles),
    and each scan's state kept where it stopped.

    tokenize(text[k:at]) has the same tokens as tokenize of any longer text from ``k`` up to the
    last that ends by ``at``; a token the longer text has across ``at`` is, there, a word cut at
    ``at`` (a call inside a word is inside its `$( )`, backquotes or quotes: that cut word is no
    keyword and no operator, so neither scan decides on it). A token of another kind across
    ``at`` (none known) is answered by the text read again (None)."""

    __slots__ = ("text", "k", "width", "toks", "ends", "sub", "pipe")

    def __init__(self, text: str, k: int):
        self.text, self.k = text, k
        self.width = 0
        self.toks: list = []
        self.ends: list[int] = []
        # Each scan: [index of the next token, state..., decided: None or (value, token index)]
        self.sub = [0, 0, 0, None, None]  # _subshell_ends: opened, cases, prev
        self.pipe = None  # _piped_or_background: made at the first call that reaches the body

    def _grow(self) -> None:
        """The window twice as wide (_SCAN_WINDOW characters at first), or all of the text."""
        self.width = min(max(_SCAN_WINDOW, 2 * self.width), len(self.text) - self.k)
        self.toks = tokenize(self.text[self.k : self.k + self.width])[0]
        self.ends = [t.b for t in self.toks]

    def _upto(self, r: int):
        """The tokens a scan may read next for a call ``r`` after k: (how many, final). Final:
        all of the cut's (the window holds ``r``; None when a token not a word is across it);
        else those that end before the window does (the same in any longer text), the window
        grown first if there are none past ``done``."""
        end = len(self.text) - self.k
        if self.width > r or self.width >= end:
            return self._cut(r), True
        return bisect_left(self.ends, self.width), False

    def _cut(self, r: int) -> int | None:
        """The number of tokens that end by ``r`` (read so far: the window holds ``r``), or None
        when a token not a word is across ``r``."""
        j = bisect_right(self.ends, r)
        toks = self.toks
        if j < len(toks) and toks[j].a < r and toks[j].kind != "word":
            return None
        return j

    def subshell(self, at: int) -> bool | None:
        """_subshell_ends(text, k, at), or None."""
        r = at - self.k
        st = self.sub
        decided = st[4]
        if decided is not None:
            if self.ends[decided[1]] <= r:
                return decided[0]  # (reached before the cut, whatever is across it)
            return None if self._cut(r) is None else False
        while True:
            j, final = self._upto(r)
            if j is None:
                return None
            if not final and j <= st[0]:
                self._grow()
                continue
            self._sub_scan(j)
            if st[4] is not None or final:
                decided = st[4]
                return decided is not None and self.ends[decided[1]] <= r and decided[0]

    def _sub_scan(self, j: int) -> None:
        st = self.sub
        decided = st[4]
        if st[0] < j:
            i, opened, cases, prev = st[0], st[1], st[2], st[3]
            toks = self.toks
            while i < j:
                t = toks[i]
                kind, word = t.kind, t.text
                if kind == "op":
                    if word == "(":
                        opened += 1
                    elif word == ")":
                        if opened:
                            opened -= 1
                        elif not cases:
                            decided = (True, i)
                            break
                    elif word in _CASE_ENDS and not cases:
                        decided = (False, i)
                        break
                elif prev is None or prev.kind == "op" or prev.text in _BEFORE_SUBSHELL:
                    if word == "case":
                        cases += 1
                    elif word == "esac":
                        if not cases:
                            decided = (False, i)
                            break
                        cases -= 1
                prev = t
                i += 1
            st[:] = [i, opened, cases, prev, decided]

    def piped(self, at: int) -> bool | None:
        """_piped_or_background(text, k, at), or None."""
        r = at - self.k
        st = self.pipe
        if st is None:
            st = self.pipe = [3, 0, 0, True, None, (True, -1) if _piped_before(self.text, self.k) else None]
        decided = st[5]  # st: index, depth, cases, own, prev (None: the definition's shape not read), decided
        if decided is not None:
            if decided[1] < 0 or self.ends[decided[1]] <= r:
                return decided[0]
            return None if self._cut(r) is None else False
        while True:
            j, final = self._upto(r)
            if j is None:
                return None
            if not final and (j < 4 or j <= st[0]):
                self._grow()
                continue
            if j < 4:
                return False
            if st[4] is None:
                toks = self.toks
                if not _shaped(toks, 0):
                    st[5] = (False, -1)
                    return False
                st[4] = toks[2]
            self._pipe_scan(j)
            if st[5] is not None or final:
                decided = st[5]
                return decided is not None and self.ends[decided[1]] <= r and decided[0]

    def _pipe_scan(self, j: int) -> None:
        st = self.pipe
        decided = st[5]
        toks = self.toks
        if st[0] < j:
            i, depth, cases, own, prev = st[0], st[1], st[2], st[3], st[4]
            while i < j:
                t = toks[i]
                kind, word = t.kind, t.text
                start = prev.kind == "op" or prev.text in _BEFORE_SUBSHELL or prev.text in ("elif", "in")
                if kind == "op":
                    if word == "(" and not cases:
                        depth += 1
                    elif word == ")" and not cases:
                        if not depth:
                            decided = (False, i)
                            break
                        depth -= 1
                    elif not depth:
                        if word in ("|", "|&", "&"):
                            if own:
                                decided = (True, i)
                                break
                        elif word in _LIST_ENDS:
                            own = False
                elif kind == "word" and start:
                    if word in _OPENS:
                        depth += 1
                        cases += word == "case"
                    elif word in _CLOSES:
                        if depth:
                            depth -= 1
                            cases -= word == "esac" and cases > 0
                        else:
                            own = True
                prev = t
                i += 1
            st[:] = [i, depth, cases, own, prev, decided]


def _new_process_at(text: str, script, at: int):
    """The innermost command of ``script`` that starts a new process for a string holding the
    offset ``at`` (a _NEW_PROCESS command whose span holds it past its name), None for the RUN's
    own shell, False when unsure (a substitution between: its commands run in the shell that
    reads the word)."""
    best = _innermost_command(
        (c for c in script.commands if c.name in _NEW_PROCESS and c.start is not None and c.end is not None), at
    )
    if best is not None and _SUBSTITUTES.search(text, best.start, at) is not None:
        return False
    return best


def _innermost_command(commands, at: int):
    """The innermost of ``commands`` (each with a start and an end) around ``at``: of those whose
    span holds ``at`` past their start, the one that starts last (the first in the given order
    when several start there); None when none holds it. _new_process_at's look-up, and
    _Unseen.process_at's without a tree."""
    best = None
    for c in commands:
        if c.start < at < c.end and (best is None or c.start > best.start):
            best = c
    return best


def _unset_function(script, provided, name: str, at: int) -> bool:
    """Whether an `unset` of the shell function ``name`` comes after its last definition before
    ``at`` (`claude() { :; }; unset -f claude; claude -v`: the command found on PATH runs). `unset
    NAME` removes the function only when no variable has the name, in bash (dash: never); `-v`
    names variables only."""
    if UNSEEN_MEMO:
        return _unseen_read(None, script).unset_after(provided, name, at)
    last = max((k for n, k, _, how in provided if n == name and how == "function" and k < at), default=-1)
    for c in script.commands:
        if c.name == "unset" and c.spans[0] is not None and last < c.spans[0][0] < at and name in c.argv[1:]:
            options = "".join(w[1:] for w in c.argv[1 : c.argv.index(name)] if w.startswith("-"))
            if "v" not in options or "f" in options:
                return True
    return False


def _first_provisions(provided) -> dict[str, tuple]:
    """Per executable name of ``provided`` (run_provides'): the first offset at which the RUN
    provides it surely but not as a function, surely as a function, in any way but a function,
    and in any way (infinity: never)."""
    out: dict[str, list] = {}
    inf = float("inf")
    for name, at, level, how in provided:
        firsts = out.get(name)
        if firsts is None:
            firsts = out[name] = [inf, inf, inf, inf]
        function = how == "function"
        if level == CERTAIN:
            k = 1 if function else 0
            firsts[k] = min(firsts[k], at)
        if not function:
            firsts[2] = min(firsts[2], at)
        firsts[3] = min(firsts[3], at)
    return {name: tuple(f) for name, f in out.items()}


_PACKAGE_MANAGERS = frozenset({"npm", "pnpm", "yarn", "bun"})

# _check_run's pre-checks on the set of a RUN's command names (``names``, gathered in C once a
# RUN): no command that _read_installs, _local_installs or project_code_before reads, so their
# answer (nothing) without their scan of the commands (a file of 350,000 distinct RUNs paid the
# three scans each). tests/test_run_prechecks_ais002.py compares the scans (False).
RUN_PRECHECKS = True
# _check_run reads the first word's span of a plain line's command (shell._PlainSpans) itself,
# not by a call (tests/test_ais002_fast.py compares the findings with this off).
SPAN_INLINE = True
# ... and a harness call of the same words (list) as one before it whose checks its position
# does not decide all passed, from those checks' answers (rep_argv: an `&&` list of 800,000 calls;
# tests/test_ais002_fast.py compares the findings with this off).
REPEAT_CALLS = True
# ... and drop_item's answer for an item after ` && ` or ` || ` of a RUN that _edits.clean_run
# passed made here (tests/test_ais002_fast.py compares the findings with this off).
CLEAN_INLINE = True
# ... and, in a RUN that _edits.clean_run passes but for its `>` writes (`printf x > f; f`), an
# item whose own text holds no `>` taken as clean (drop_item's and CLEAN_INLINE's short answers:
# removable reads a `>` only in the item's text; tests/test_writes_clean_fast.py compares the
# findings with this off).
WRITES_CLEAN = True
# ... and drop_item's answer for the second of two items that removes_run says takes the RUN with
# it (a body's one command that the line's one feeds to a shell: `RUN bash <<EOF` of `claude -v`)
# made here as for a RUN's only item (_drop_run: no index look-up of the instruction before it, no
# second removes_run; tests/test_ais002_fast.py compares the findings with this off).
BODY_DROP = True
# ... and a repeat of a call (REPEAT_CALLS) that its place alone sets apart from the one whose
# finding was the first of such a repeat made in full, in a few steps: an error where it surely
# decides, its fix dropping it and the ` && ` or ` || ` before it (the and_list benchmark's
# 800,000 `claude -v`; tests/test_repeat_quick_fast.py compares the findings with this off).
REPEAT_QUICK = True
# ... and the first word's span of a row's command (shell._RowSpans) read itself, and drop_item's
# answer for an item after `; ` that begins an and-or list in a clean RUN made here (the made-files
# benchmark: seven of its eight calls are `ln -s x claude; claude -v`, each a call less twice;
# tests/test_made_files_fast.py compares the findings with these off).
ROW_SPAN_INLINE = True
SEMI_INLINE = True
_AND_OR = (" && ", " || ")
_INSTALL_WORDS = frozenset(INSTALL_TOOLS)  # (the names _read_installs reads installs of)
_ARGV, _FIRST = attrgetter("argv"), itemgetter(0)


def _local_firsts(script, names) -> dict[str, int]:
    """_firsts of _local_installs (only npm, pnpm, yarn and bun commands install locally)."""
    if names is not None and _PACKAGE_MANAGERS.isdisjoint(names):
        return _NO_FIRSTS
    return _firsts(_local_installs(script))


def _project_code(script, run, names):
    """project_code_before(script, run), or False for None: it reads only the commands named in
    _MAY_RUN_CODE, or whose first word holds a `/` or starts with an expansion."""
    if names is not None and _MAY_RUN_CODE.isdisjoint(names):
        words = "\n".join(map(_FIRST, filter(None, map(_ARGV, script.commands))))
        if "/" not in words and "$" not in words and "`" not in words:
            return False
    return project_code_before(script, run) or False


def _runs_package_manager(script) -> bool:
    """Some command of the script is npm, pnpm, yarn or bun (the names gathered in C: a RUN of
    800,000 commands)."""
    return not _PACKAGE_MANAGERS.isdisjoint(map(_NAME, script.commands))


_NAME = attrgetter("name")


def _local_installs(script) -> list[tuple[str, int]]:
    """(harness name, source offset) of each project-local install (`npm install <harness>`,
    `pnpm add`, `yarn add`, `bun add`): `npx` finds the executable there."""
    out: list[tuple[str, int]] = []
    for cmd in script.commands:
        if len(cmd.argv) < 3 or cmd.name not in ("npm", "pnpm", "yarn", "bun"):
            continue
        args = [a for a in cmd.argv[1:] if not a.startswith("-")]
        if not args or not installs(cmd.name, args[0]):
            continue
        try:
            first = cmd.spans[0]  # (one look-up)
        except IndexError:
            first = None
        at = first[0] if first is not None else -1
        out.extend((h.name, at) for a in args[1:] if (h := package_harness(a)) is not None)
    return out


_INSTALLS: dict[int, tuple[object, list]] = {}  # the last scripts' installs (read twice per RUN)
# ... as many as a part of a stage holds, twice (its RUNs' installs are read as the part is read,
# then again as it is checked: 64 of them read each install RUN of a long stage twice).
_INSTALLS_MAX = 2 * (_PART or 1024)
# ... or, while _check reads a stage with ONBUILD RUNs (kept whole: _PART), twice its length:
# _trigger_effects reads every ONBUILD RUN's installs, then its check asks again, the whole stage
# later (a stage of 19,000 `ONBUILD RUN npm i -g …` read each twice). Its scripts are held for
# the stage anyway (its steps); past it they are let go.
# tests/test_installs_only_fast.py compares the findings with it off.
TRIGGER_INSTALLS = True
_INSTALLS_ROOM = [_INSTALLS_MAX]


def _installs(script, text: str, fresh: bool = False, npm=None) -> list[tuple[str, int, bool]]:
    """(harness name, source offset, whether surely) of each install the script performs or may
    perform (``text``: the file's, where the variables assigned before a command are:
    `npm_config_global=true npm i …`; ``npm``: the stage's npm_config_ variables, _npm_env)."""
    hit = _INSTALLS.get(id(script))
    if hit is not None and hit[0] is script and hit[1] == npm and not fresh:
        return hit[2]
    out = _read_installs(script, text, npm)
    if len(_INSTALLS) > _INSTALLS_ROOM[0]:
        _INSTALLS.clear()
    _INSTALLS[id(script)] = (script, npm, out)
    return out


def _sure(installs) -> list[str]:
    return [name for name, _, certain in installs if certain]


_NO_SPAN = object()  # (_read_installs: not looked up yet)


def _read_installs(script, text: str, npm=None) -> list[tuple[str, int, bool]]:
    """As AIS003 reads them: with the npm_config_* variables of the stage (`ENV
    npm_config_global=true`), exported earlier in the RUN or assigned before the command
    (`npm_config_global=true npm i` is a global install). An install only the environment as it
    may be makes global (an ARG's value, which a --build-arg replaces; `ENV npm_config_global=$G`;
    behind `sudo`, whose env_keep may keep it) is a possible one (False)."""
    out: list[tuple[str, int, bool]] = []
    exported, possible = reading(npm), reading(npm, maybe=True)
    for cmd in script.commands:
        if cmd.name == "export" and not cmd.nested:
            exported = _exports(cmd.argv, exported)
            possible = _exports(cmd.argv, possible)
            continue
        if cmd.name not in INSTALL_TOOLS:
            continue  # (find_install's answer: None)
        npm_cmd = cmd.name == "npm"
        first = _NO_SPAN  # (the first word's span, looked up once: for npm's env and the offset)
        env = exported
        if npm_cmd:
            try:
                first = cmd.spans[0]
            except IndexError:
                first = None
            if first is not None and cmd.start is not None and first[0] > cmd.start:
                env = _assigned(text, cmd, exported)  # (words before the name: its answer else ``exported``)
        inst = find_install_shared(cmd.argv, env)
        certain = inst is not None
        if inst is None and possible is not None and npm_cmd:
            inst = find_install(cmd.argv, _assigned(text, cmd, possible, resets=False))
        if inst:
            if first is _NO_SPAN:
                try:
                    first = cmd.spans[0]
                except IndexError:
                    first = None
            at = first[0] if first is not None else -1
            out.extend((h.name, at, certain) for h in inst.harnesses)
    return out


def _may_npm(ins) -> bool:
    """Cheap pre-check: the RUN may run npm (its stage's npm_config_ variables then matter)."""
    return "npm" in ins.logical or any("npm" in d.content for d in ins.heredocs)


def check(ctx: RuleContext):
    """The findings of _check: an error in a stage the default build does not build is a warning."""
    return warn_where_unbuilt(ctx.df, _check(ctx))
