# shellcheck shell=bash
# Shared by the per-patch checks.  Every check is ci/checks/<name>/run and
# follows one contract:
#
#   inputs (environment):
#     TREE        kernel git tree, HEAD = the patch under test, HEAD~1 = parent
#     PATCH       the patch file (git format-patch)
#     LABEL       how to name the patch in messages, e.g. "3/9 foo.patch"
#     ARCH_CONF   ci/arch/<arch>.conf (plain data)
#     BUILD       the O= build dir of that arch, already configured
#     LOG         the check's log file (the check writes it)
#   exit code: 0 pass, 1 fail (the patch is at fault), 3 skip: the patch
#              gives the check nothing to look at (reported as not run,
#              never counted as a pass), 2 error: the harness, a tool or
#              the machine failed (missing or crashing tool, tool timeout,
#              disk full); any other status is an error too.  An error
#              fails the run but does not blame the patch.
#   stdout:    exactly one summary line
#
# A check never prints "pass" for work it did not do: every tool's exit
# status is checked, and a tool that did not exit cleanly is an error.

set -euo pipefail
: "${TREE:?}" "${PATCH:?}" "${LABEL:?}" "${ARCH_CONF:?}" "${BUILD:?}" "${LOG:?}"
# shellcheck source=ci/arch/x86_64.conf
. "$ARCH_CONF"
CHECK=$(basename "$(dirname "$0")")
: >"$LOG"

pass() {
	printf '%s %s [%s]: pass%s\n' "$CHECK" "$LABEL" "$ARCH" "${1:+ ($1)}"
	exit 0
}

fail() {
	printf '%s %s [%s]: FAIL: %s (log: %s)\n' "$CHECK" "$LABEL" "$ARCH" "$1" "$LOG"
	exit 1
}

skip() {
	printf '%s %s [%s]: skip (%s)\n' "$CHECK" "$LABEL" "$ARCH" "$1"
	echo "skip: $1" >>"$LOG"
	exit 3
}

# error MSG: the harness, a tool or the machine failed; not the patch (exit 2).
error() {
	printf '%s %s [%s]: ERROR: %s; the patch is not blamed (log: %s)\n' \
		"$CHECK" "$LABEL" "$ARCH" "$1" "$LOG"
	echo "error: $1" >>"$LOG"
	exit 2
}

# need TOOL...: every TOOL is on PATH, or the check is an error.
need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || error "$t missing (not on PATH)"
	done
}

# shellcheck source=ci/lib/arch.sh
. "$(dirname "${BASH_SOURCE[0]}")/arch.sh"

# kmake ARGS...: make in the tree for this arch and build dir.
kmake() { kmake_in "$TREE" "$BUILD" "$@"; }

# touched [GLOB...]: files the patch changes that still exist, filtered.
touched() {
	git -C "$TREE" diff --name-only --diff-filter=d HEAD~1 HEAD -- "$@"
}

# before_after CMD...: run CMD (it prints findings) with the files the
# patch touches at the parent's content, then at the patch's, and print
# the findings that are new.  Line numbers are dropped so code that only
# moved does not count.  The touched files get their old mtimes back at
# the end, so the next build rebuilds only what the next patch requires;
# the objects CMD compiled last were compiled from exactly that content.
# CMD must exit 0 on both sides: if it does not, ba_judge decides (a
# check may define its own before calling before_after; the default is
# an error naming BA_TOOL, or CMD's own ERROR line if it printed one).
# Call it as new=$(before_after CMD) || ba_exit "$new"
before_after() {
	local dir f i=0 rb=0 ra=0
	local -a files
	dir=$(mktemp -d)
	mapfile -t files < <(git -C "$TREE" diff --name-only HEAD~1 HEAD)
	for f in "${files[@]}"; do
		i=$((i + 1))
		[ -e "$TREE/$f" ] && stat -c '%y' "$TREE/$f" >"$dir/$i.mtime"
	done
	# kbuild syncs .config with the parent's Kconfig, which drops an
	# option the patch adds (the KUnit suite): the patch side gets the
	# entry's config back as it was.
	[ ! -f "$BUILD/.config" ] || cp "$BUILD/.config" "$dir/config"
	set_files HEAD~1 "${files[@]}"
	# In a subshell: a CMD that exits (error, fail) still gets the
	# files put back, and its line lands in the raw output for ba_judge.
	("$@") >"$dir/before.raw" 2>&1 || rb=$?
	set_files HEAD "${files[@]}"
	[ ! -f "$dir/config" ] || cp "$dir/config" "$BUILD/.config"
	("$@") >"$dir/after.raw" 2>&1 || ra=$?
	i=0
	for f in "${files[@]}"; do
		i=$((i + 1))
		[ -f "$dir/$i.mtime" ] && touch -d "$(cat "$dir/$i.mtime")" "$TREE/$f"
	done
	[ -z "$(git --no-optional-locks -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		error "$TREE is not back at HEAD after the parent comparison"
	normalize <"$dir/before.raw" | sort >"$dir/before"
	normalize <"$dir/after.raw" | sort >"$dir/after"
	{
		echo "== findings at the parent (exit $rb)"
		cat "$dir/before"
		echo "== findings with this patch (exit $ra)"
		cat "$dir/after"
		echo "== new with this patch"
	} >>"$LOG"
	if [ "$rb" != 0 ] || [ "$ra" != 0 ]; then
		ba_judge "$rb" "$ra" "$dir/before.raw" "$dir/after.raw"
	fi
	comm -13 "$dir/before" "$dir/after" | tee -a "$LOG"
	rm -rf "$dir"
}

# ba_judge RC_PARENT RC_PATCH RAW_PARENT RAW_PATCH: CMD did not exit 0 on
# one side; the default: an error (the tool, not the patch).  A check
# that knows better defines its own after sourcing this file.
ba_judge() {
	local side=parent rc=$1 raw=$3 e
	if [ "$1" = 0 ]; then side="patch" rc=$2 raw=$4; fi
	e=$(grep -F ': ERROR: ' "$raw" | tail -n1 || true)
	[ -z "$e" ] || { printf '%s\n' "$e"; exit 2; }
	error "${BA_TOOL:-the tool} exited $rc on the $side's files$(ba_hint "$raw")"
}

# ba_hint RAW: ": WHY" for the error line: the first error message or
# make "***" line of a failed run's output, else its last line.
ba_hint() {
	local l
	l=$(grep -vE '^make(\[[0-9]+\])?: (Entering|Leaving) directory' "$1" | grep -v '^[[:space:]]*$' |
		{ grep -m1 -E '(: (fatal )?error: |\*\*\* )' || tail -n1; } | cut -c1-160 || true)
	[ -z "$l" ] || printf ': %s' "$l"
}

# ba_exit OUTPUT: before_after exited non-zero (through error, fail or a
# crash); print its verdict line and exit with its status.
ba_exit() {
	local rc=$? l
	l=$(printf '%s\n' "$1" | grep -E ': (ERROR|FAIL): ' | tail -n1)
	[ -n "$l" ] || error "the parent comparison exited $rc without a verdict"
	printf '%s\n' "$l"
	exit "$rc"
}

# set_files REV FILE...: put FILEs in the work tree as they are at REV.
set_files() {
	local rev=$1 f
	shift
	for f in "$@"; do
		if git -C "$TREE" cat-file -e "$rev:$f" 2>/dev/null; then
			mkdir -p "$(dirname "$TREE/$f")"
			git -C "$TREE" show "$rev:$f" >"$TREE/$f"
		else
			rm -f "$TREE/$f"
		fi
	done
}

# normalize: keep diagnostics only, without line and column numbers.
normalize() {
	sed -n -E -e "s#$TREE/##g" -e 's#^(\.\./)*([^ :]+\.[chS]):[0-9]+(:[0-9]+(-[0-9]+)?)?: #\2: #p'
}

# built_objs: objects of the touched .c files that this config builds
# (the others are listed in $LOG; the coverage stage reports them), then,
# for each touched header, up to three more built objects whose .c
# includes it, so that a change to a header is compiled and checked too.
built_objs() {
	local f o
	local -a mine=()
	for f in $(touched '*.c'); do
		o=${f%.c}.o
		if [ -f "$BUILD/$o" ]; then
			mine+=("$o")
		else
			echo "not built by this config: $f" >>"$LOG"
		fi
	done
	# Each object once, the touched ones first.
	{
		printf '%s\n' ${mine[@]+"${mine[@]}"}
		for f in $(touched '*.h'); do
			header_users "$f"
		done
	} | awk 'NF && !seen[$0]++'
}

# header_users HEADER: up to three objects of this config compiled from a
# .c that includes HEADER (kbuild's .cmd dependency lists), those in the
# directories the patch touches first, then by name; logged.
header_users() {
	local h=$1 n=0 o
	while read -r o; do
		[ -f "$TREE/${o%.o}.c" ] || continue
		echo "$o"
		echo "includes $h: $o" >>"$LOG"
		n=$((n + 1))
		[ "$n" -lt 3 ] || break
	done < <(grep -rlxF --include='.*.o.cmd' "  $TREE/$h \\" "$BUILD" 2>/dev/null |
		sed -e "s#^$BUILD/##" -e 's#^\(\(.*/\)\{0,1\}\)\.\([^/]*\)\.cmd$#\1\3#' |
		grep -v '^\(scripts\|tools\)/' |
		awk -v dirs=" $(touched | xargs -r -n1 dirname | sort -u | tr '\n' ' ') " '{
			d = $0
			if (!sub(/\/[^\/]*$/, "", d))
				d = "."
			print (index(dirs, " " d " ") ? 0 : 1), $0
		}' | sort | cut -d' ' -f2)
	[ "$n" -gt 0 ] || echo "no object of this config includes $h" >>"$LOG"
}

# ran_on WORD OBJ...: the last runs printed kbuild's "  WORD    path" line
# ("  WORD [M]  path" for a module) for each object's source at least
# twice (parent and patch; once for a file the patch adds), so the tool
# really ran on every file it was meant to.
ran_on() {
	local word=$1 o n want
	shift
	for o in "$@"; do
		n=$(grep -cE "^  $word( \[M\])? +(.*/)?${o%.o}\.[co]\$" "$LOG" || true)
		# A file the patch adds has no parent side to run on.
		want=2
		git -C "$TREE" cat-file -e "HEAD~1:${o%.o}.c" 2>/dev/null || want=1
		[ "$n" -ge "$want" ] || error "$word ran $n times on ${o%.o}.c, expected $want"
	done
}
