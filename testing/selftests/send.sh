#!/usr/bin/env bash
# tools/send end to end on a fake tree: a fake stable tree (tag v-fake,
# some history before it), the same files as a pinned tarball with a
# stub get_maintainer.pl, a v2 stack of three patches from the project
# identity and a v1 of two kept in versions/v1.  The mails must be
# numbered [PATCH v2 k/3], carry To/Cc, the cover letter, base-commit:
# the stable commit, a range-diff against v1, and the sender as author
# and only Signed-off-by.  --dry-run, --reflect and --send go through a
# stub sendmail that records every delivery; --reflect and --send
# refuse a placeholder stable_commit, and a tree of the user's that is
# not the pinned base.
#
# Usage: testing/selftests/send.sh   (prints "N passed, N failed" last)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=testing/selftests/lib.sh
. "$here/lib.sh"
command -v b4 >/dev/null || { st_fail b4 "b4 is not installed (tools/install-deps)"; st_done; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dma-phys-send.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

project=$(grep -v '^#' "$root/tools/identity.conf" | grep -m1 .)
pname=${project% <*} pmail=${project##*<} pmail=${pmail%>}
sender="Test Sender <sender@example.invalid>"
export DMA_PHYS_CACHE=$work/cache
unset DMA_PHYS_LINUX DMA_PHYS_TARBALL GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$work/gitconfig

# The sender's git config; mail goes to a stub sendmail that records the
# recipients it was given and the message.
mkdir -p "$work/delivered"
cat >"$work/sendmail" <<EOF
#!/bin/sh
n=\$(ls "$work/delivered" | wc -l)
printf '%s\n' "\$@" >"$work/delivered/\$n.args"
cat >"$work/delivered/\$n.mail"
EOF
chmod +x "$work/sendmail"
git config --global user.name "Test Sender"
git config --global user.email sender@example.invalid
git config --global sendemail.smtpserver "$work/sendmail"
git config --global b4.send-no-patatt-sign yes

# The fake stable tree: history, then the tagged base.
stable_tree=$work/stable
cp -a "$here/fake-linux" "$stable_tree"
cat >"$stable_tree/scripts/get_maintainer.pl" <<'EOF'
#!/bin/sh
# Stub: the maintainer with --nol (To:), the list with --nom (Cc:).
case " $* " in
*" --nol "*) echo "Fake Maintainer <maint@example.invalid>" ;;
*" --nom "*) echo "fake-list@example.invalid" ;;
esac
EOF
chmod +x "$stable_tree/scripts/get_maintainer.pl"
(
	cd "$stable_tree"
	git init -q
	echo old >OLD
	git add -A
	git -c user.name=Linus -c user.email=l@example.invalid commit -q -m "an older release"
	git rm -q OLD
	git -c user.name=Greg -c user.email=g@example.invalid commit -q -m "Linux fake"
	git tag v-fake
)
stable=$(git -C "$stable_tree" rev-parse v-fake)
tree_id=$(git -C "$stable_tree" rev-parse 'v-fake^{tree}')

# The same files as the pinned tarball.
mkdir -p "$work/tar/linux-fake"
git -C "$stable_tree" archive v-fake | tar -x -C "$work/tar/linux-fake"
tar -C "$work/tar" -cJf "$work/linux_fake.orig.tar.xz" linux-fake
export DMA_PHYS_TARBALL=$work/linux_fake.orig.tar.xz
# shellcheck source=testing/selftests/fake-base.inc
. "$here/fake-base.inc"
write_conf() { # write_conf STABLE_COMMIT
	fake_base_conf "$work/linux_fake.orig.tar.xz" "tree $tree_id" "stable_commit $1"
}

# The harness copy the flow runs from: tools, the checkpatch check, a
# cover letter at v2, the v2 stack and v1 in versions/v1.
h=$work/harness
mkdir -p "$h/ci/checks" "$h/ci/arch"
cp -a "$root/tools" "$h/"
cp -a "$root/ci/lib" "$h/ci/"
cp -a "$root/ci/checks/checkpatch" "$h/ci/checks/"
cp "$root/ci/arch/x86_64.conf" "$h/ci/arch/"
write_conf "$stable" >"$h/base.conf"
cat >"$h/cover-letter.txt" <<'EOF'
fake: map with a direction

The fake series of the send self-test.

Changes
-------

v2:
- patch 2 drops the offset for one direction only;
- new patch 3.

v1:
- first posting.
EOF
src=$work/src
cp -a "$stable_tree" "$src"
pc() { git -C "$src" -c user.name="$pname" -c user.email="$pmail" commit -q -a -s -m "$1" -m "$2"; }
sed -i 's/unsigned long long phys)/unsigned long long phys, int dir)/' "$src/src/dma.h" "$src/src/dma.c"
sed -i 's/map_one(0x1200)/map_one(0x1200, 0)/' "$src/src/main.c"
pc "fake: pass a direction to map_one" "The direction will decide the sync."
sed -i 's/\treturn page + offset;/\treturn page;/' "$src/src/dma.c"
pc "fake: drop the offset" "v1's version of patch 2."
mkdir -p "$h/versions/v1/patches"
git -C "$src" format-patch -q --no-numbered -o "$work/v1" v-fake..HEAD
printf '%s\n' 1.patch 2.patch >"$h/versions/v1/series"
i=0
for f in "$work"/v1/*.patch; do i=$((i + 1)); mv "$f" "$h/versions/v1/patches/$i.patch"; done
git -C "$src" reset -q --hard HEAD~1
sed -i 's/\treturn page + offset;/\treturn dir ? page : page + offset;/' "$src/src/dma.c"
pc "fake: drop the offset for one direction" "A deliberately odd change, to have a middle patch."
printf '\n/* mapped */\n' >>"$src/src/main.c"
pc "fake: note the mapping" "A trailing patch that touches another file."
mkdir -p "$h/patches"
git -C "$src" format-patch -q -o "$work/v2" v-fake..HEAD
: >"$h/series"
for f in "$work"/v2/*.patch; do
	n=$(basename "$f" | sed 's/^[0-9]*-//')
	mv "$f" "$h/patches/$n"
	echo "$n" >>"$h/series"
done

# st_if NAME WHY CMD...: the case passes when CMD succeeds.
st_if() {
	local name=$1 why=$2
	shift 2
	if "$@"; then st_ok "$name"; else st_fail "$name" "$why"; fi
}

# run NAME ARGS...: tools/send in the harness copy; output in $work/NAME.out.
run() {
	local name=$1
	shift
	rc=0
	(cd "$h" && tools/send "$@") </dev/null >"$work/$name.out" 2>&1 || rc=$?
}
# hdr FILE HEADER: the header's value, continuation lines joined.
hdr() {
	awk -v h="$2" 'BEGIN { IGNORECASE = 1 } /^$/ { exit }
		f && /^[ \t]/ { sub(/^[ \t]+/, " "); v = v $0; next } f { exit }
		index(tolower($0), tolower(h) ":") == 1 { f = 1; v = substr($0, length(h) + 3) }
		END { print v }' "$1"
}

# 1. Prepare: mails in a folder, nothing delivered.
run prepare --out "$work/mails"
st_result prepare-exit "$rc" 0
mapfile -t mails < <(find "$work/mails" -type f | sort)
st_result prepare-four-mails "${#mails[@]}" 4
st_result prepare-nothing-delivered "$(find "$work/delivered" -type f | wc -l)" 0
cover=${mails[0]}
st_result cover-subject "$(hdr "$cover" Subject)" "[PATCH v2 0/3] fake: map with a direction"
for k in 1 2 3; do
	m=${mails[$k]}
	case $(hdr "$m" Subject) in
	"[PATCH v2 $k/3] fake: "*) st_ok "patch-$k-numbered" ;;
	*) st_fail "patch-$k-numbered" "subject '$(hdr "$m" Subject)'" ;;
	esac
	st_result "patch-$k-from" "$(hdr "$m" From)" "$sender"
	st_result "patch-$k-one-signoff" "$(grep -c '^Signed-off-by:' "$m")" 1
	st_result "patch-$k-signoff-is-sender" "$(grep '^Signed-off-by:' "$m")" "Signed-off-by: $sender"
	st_result "patch-$k-no-project-identity" "$(grep -c -F "$pmail" "$m" || true)" 0
	st_result "patch-$k-no-in-body-from" "$(sed '1,/^$/d' "$m" | grep -c '^From:' || true)" 0
done
for m in "${mails[@]}"; do
	case "$(hdr "$m" To) / $(hdr "$m" Cc)" in
	*maint@example.invalid*/*fake-list@example.invalid*) ;;
	*) st_fail "to-cc" "$(basename "$m"): To: $(hdr "$m" To), Cc: $(hdr "$m" Cc)"; continue 2 ;;
	esac
done
st_ok to-cc-on-every-mail
st_result cover-from "$(hdr "$cover" From)" "$sender"
st_result cover-base-commit "$(grep '^base-commit:' "$cover")" "base-commit: $stable"
st_if cover-letter-text "cover-letter.txt's body is not in $cover" \
	grep -qx 'The fake series of the send self-test.' "$cover"
st_if cover-range-diff-heading "no 'Range-diff against v1:' in $cover" \
	grep -qx 'Range-diff against v1:' "$cover"
# v1's patch 1 is v2's patch 1 but for the sign-off; v1's 2 changed; 3 is new.
# Both sides are re-signed alike: the range-diff shows no author change
# (an "Author:" line of its Metadata context, unchanged, is fine).
st_result cover-range-diff-no-author-change "$(grep -cE '^ *[-+] +Author:' "$cover" || true)" 0
# What follows the range-diff is b4's own part, untouched.
st_result cover-after-range-diff "$(sed -n '/^-: .*fake: note the mapping$/{n;p;n;p;q}' "$cover" | tr '\n' '|')" '|---|'
rdwhy=$(sed -n '/^Range-diff/,/^---$/p' "$cover" | head -20)
st_if cover-range-diff-1 "$rdwhy" grep -qE '^ *1: +[0-9a-f]+ = +1: +[0-9a-f]+ fake: pass a direction' "$cover"
st_if cover-range-diff-2 "$rdwhy" grep -qE '^ *2: +[0-9a-f]+ ! +2: +[0-9a-f]+ fake: drop the offset' "$cover"
st_if cover-range-diff-3 "$rdwhy" grep -qE '^ *-: +-+ > +3: +[0-9a-f]+ fake: note the mapping' "$cover"

# 2. --dry-run: the SMTP messages on stdout, nothing delivered.
run dry-run --out "$work/mails-d" --dry-run
st_result dry-run-exit "$rc" 0
st_if dry-run-shows-mails "no patch 3/3 on stdout" grep -qF 'Subject: [PATCH v2 3/3]' "$work/dry-run.out"
st_result dry-run-nothing-delivered "$(find "$work/delivered" -type f | wc -l)" 0

# 3. A placeholder stable_commit: prepare warns and names the tarball's
# commit; --reflect and --send refuse before b4 runs.
cp "$h/base.conf" "$work/base.conf.good"
write_conf UNKNOWN-fill-in >"$h/base.conf"
run placeholder-prepare --out "$work/mails-p"
st_result placeholder-prepare-exit "$rc" 0
st_if placeholder-prepare-warns "no warning" grep -q 'WARNING: base-commit:' "$work/placeholder-prepare.out"
for m in reflect send; do
	run "placeholder-$m" --out "$work/mails-p" "--$m"
	st_result "placeholder-$m-refused" "$rc" 1
	st_if "placeholder-$m-says-why" "$(tail -1 "$work/placeholder-$m.out")" \
		grep -q 'stable_commit is a placeholder' "$work/placeholder-$m.out"
done
st_result placeholder-nothing-delivered "$(find "$work/delivered" -type f | wc -l)" 0
cp "$work/base.conf.good" "$h/base.conf"

# 4. The user's own tree: accepted when its tag is the stable commit,
# refused when it is not.
run own-tree --out "$work/mails-o" --linux "$stable_tree"
st_result own-tree-exit "$rc" 0
st_result own-tree-base-commit "$(grep -h '^base-commit:' "$work"/mails-o/0000-*)" "base-commit: $stable"
wrong=$work/wrong
git clone -q "$stable_tree" "$wrong"
git -C "$wrong" tag -f v-fake HEAD~1 >/dev/null
run own-tree-wrong --out "$work/mails-w" --linux "$wrong"
st_result own-tree-wrong-refused "$rc" 1
st_if own-tree-wrong-says-why "$(tail -1 "$work/own-tree-wrong.out")" \
	grep -q "not the stable tree's $stable" "$work/own-tree-wrong.out"

# 5. The project identity as sender is refused.
rc=0
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0=$pmail run project-sender --out "$work/mails-x"
st_result project-sender-refused "$rc" 1

# 6. --reflect: every mail delivered to the sender only.
(cd "$h" && printf '\n' | tools/send --out "$work/mails-r" --reflect) >"$work/reflect.out" 2>&1 && rc=0 || rc=$?
st_result reflect-exit "$rc" 0
st_result reflect-four-delivered "$(find "$work/delivered" -name '*.mail' | wc -l)" 4
others=$(cat "$work"/delivered/*.args 2>/dev/null | grep '@' | grep -vx -e 'sender@example.invalid' || true)
st_result reflect-only-to-sender "$others" ""
rm -f "$work"/delivered/*

# 7. A sent version cannot be prepared again without a bump.
mkdir -p "$h/versions/v2"
run not-bumped --out "$work/mails-b"
st_result not-bumped-refused "$rc" 1
st_if not-bumped-says-why "$(tail -1 "$work/not-bumped.out")" grep -q "add a 'v3:' entry" "$work/not-bumped.out"
rmdir "$h/versions/v2"

# 8. --send: delivered to the recipients, v2 kept in versions/v2.
(cd "$h" && printf '\n' | tools/send --out "$work/mails-s" --send) >"$work/send.out" 2>&1 && rc=0 || rc=$?
st_result send-exit "$rc" 0
st_result send-four-delivered "$(find "$work/delivered" -name '*.mail' | wc -l)" 4
st_if send-to-maintainer "$(cat "$work"/delivered/0.args 2>/dev/null)" grep -qx 'maint@example.invalid' "$work/delivered/0.args"
st_result send-kept-v2 "$(series_n=$(grep -c . "$h/versions/v2/series" 2>/dev/null) && echo "$series_n")" 3

st_done
