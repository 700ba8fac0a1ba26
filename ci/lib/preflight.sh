# shellcheck shell=bash
# Preflight for ci/run: every tool the selected entries, checks, stages
# and boots need, and free space, checked once before any build, so that
# a missing tool or a full disk is one plain ERROR line up front, not a
# patch that "broke the build" an hour later.
#
# preflight_tools ARCHDIR ARCHES STAGES: "TOOL<TAB>WHO" for every tool
# needed (WHO: what needs it).  boots ENTRY (ci/run) decides whether an
# entry's QEMU is needed.
preflight_tools() {
	local archdir=$1 arches=$2 stages=$3 t a st
	for t in git quilt patch make gcc ccache flex bison bc perl python3 \
		xz tar timeout flock awk sed diff sha256sum pgrep; do
		printf '%s\tthe harness\n' "$t"
	done
	for a in $arches; do
		(
			# shellcheck source=ci/arch/x86_64.conf
			. "$archdir/$a.conf"
			cc=${CC_CMD:-${CROSS_COMPILE:-}gcc}
			printf '%s\tbuild [%s]\n' "${cc%% *}" "$ARCH"
			if [ -n "${LLVM:-}" ] && [ "${LLVM#-}" != "$LLVM" ]; then
				printf '%s\tbuild [%s]\n' "ld.lld$LLVM" "$ARCH"
			elif [ -n "${CROSS_COMPILE:-}" ]; then
				printf '%s\tbuild [%s]\n' "${CROSS_COMPILE}ld" "$ARCH"
			fi
			for c in ${CHECKS:-}; do
				case $c in
				sparse) printf 'sparse\tsparse [%s]\n' "$ARCH" ;;
				cocci) printf 'spatch\tcocci [%s]\n' "$ARCH" ;;
				checkpatch) printf 'perl\tcheckpatch [%s]\n' "$ARCH" ;;
				esac
			done
			if [ -n "${BOOT_IMAGE:-}" ] && boots "$a"; then
				printf '%s\tboot [%s]\n' "${QEMU:-qemu-system-$ARCH}" "$ARCH"
				# A variant with DTB_DROP_<variant> edits the DTB.
				if compgen -v DTB_DROP_ >/dev/null; then
					printf '%s\tboot [%s]\n' fdtget "$ARCH" fdtput "$ARCH"
				fi
			fi
		)
	done
	for st in $stages; do
		case $st in
		tools-virtio) printf 'make\ttools-virtio\ngcc\ttools-virtio\n' ;;
		esac
	done
}

# free_gib DIR: GiB free in DIR's filesystem (DIR or its nearest parent).
free_gib() {
	local d=$1
	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	df -Pk "$d" | awk 'NR == 2 { print int($4 / 1048576) }'
}

# preflight ARCHDIR ARCHES STAGES CACHE OUT: print one line per problem
# ("preflight: ERROR: ..."); return 1 if there is any.
# Env: DMA_PHYS_MIN_CACHE_GIB (default 20), DMA_PHYS_MIN_OUT_GIB (default 2).
preflight() {
	local archdir=$1 arches=$2 stages=$3 cache=$4 out=$5 bad=0 t who
	local -A seen=()
	while IFS=$'\t' read -r t who; do
		[ -z "${seen[$t]:-}" ] || continue
		seen[$t]=1
		command -v "$t" >/dev/null 2>&1 && continue
		printf 'preflight: ERROR: %s missing (needed by %s; tools/install-deps installs it); the patch is not blamed\n' "$t" "$who"
		bad=1
	done < <(preflight_tools "$archdir" "$arches" "$stages")
	local need have
	need=${DMA_PHYS_MIN_CACHE_GIB:-20}
	have=$(free_gib "$cache")
	if [ "$have" -lt "$need" ]; then
		printf 'preflight: ERROR: %s GiB free for the cache %s, %s GiB needed (DMA_PHYS_MIN_CACHE_GIB); the patch is not blamed\n' "$have" "$cache" "$need"
		bad=1
	fi
	need=${DMA_PHYS_MIN_OUT_GIB:-2}
	have=$(free_gib "$out")
	if [ "$have" -lt "$need" ]; then
		printf 'preflight: ERROR: %s GiB free for the output %s, %s GiB needed (DMA_PHYS_MIN_OUT_GIB); the patch is not blamed\n' "$have" "$out" "$need"
		bad=1
	fi
	return "$bad"
}
