# shellcheck shell=bash
# Building for one entry of the arch matrix.  The entry is a plain data
# file, ci/arch/<name>.conf, sourced before these functions are used:
#   ARCH          name of the entry (also how reports name it)
#   KARCH         the kernel's ARCH= (default: ARCH)
#   CROSS_COMPILE toolchain prefix, empty for native
#   CC_CMD        compiler (default: ${CROSS_COMPILE}gcc); LLVM=-NN for clang
#   KCONFIG_BASE  make target the config starts from (tinyconfig, defconfig)
#   FRAGMENTS     testing/configs/<name>.config merged on top, in order
#   IMAGE         what a build makes; or BUILD_TARGET, e.g. a list of objects
#   CHECKS        the per-patch checks this entry runs, in order
#   STEP_BUILD    how a patch in the middle of the stack is built: image
#                 (the whole target; the default) or objects (the touched
#                 objects this config compiles); the top is built whole
#   BASE_TARGET   what an objects entry builds at the base when it does not
#                 boot the base every run (default: BUILD_TARGET or IMAGE)
#   BASE_BOOT     always (the default): the base boots side by side every
#                 run; on-failure: only where a patched boot failed
#   PACKAGES      Debian packages its toolchain needs
#   OPT_IN        yes: not in the default job (ci/run takes it only when
#                 DMA_PHYS_ARCHES names it, or the rotation picks it)
#   ROTATE        yes (with OPT_IN=yes): one of the rotation; with
#                 DMA_PHYS_ROTATE=auto the default job adds one such entry
#                 a run, in turn (ci/lib/rotate.sh)

# kmake TREE BUILD ARGS...: make for this entry.
kmake_in() {
	local tree=$1 build=$2
	shift 2
	make -C "$tree" O="$build" ARCH="${KARCH:-$ARCH}" \
		${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} ${LLVM:+LLVM=$LLVM} \
		CC="ccache ${CC_CMD:-${CROSS_COMPILE:-}gcc}" HOSTCC="ccache ${HOSTCC_CMD:-gcc}" \
		KBUILD_BUILD_TIMESTAMP='2025-11-13' KBUILD_BUILD_USER=ci KBUILD_BUILD_HOST=dma-phys \
		"$@"
}

# kconfig_defines TREE CONFIG_X: the checked-out tree's Kconfig defines X.
kconfig_defines() {
	git -C "$1" grep -qE "^(menu)?config ${2#CONFIG_}\$" -- '*Kconfig*'
}

# configure TREE BUILD CONFIGDIR LOG: write BUILD/.config from KCONFIG_BASE
# plus FRAGMENTS and check that every option asked for stuck (an option
# marked "# if-defined: CONFIG_X" may be absent from the tree's Kconfig).
configure() {
	local tree=$1 build=$2 cfgdir=$3 log=$4 f frags=() line k v got bad=0
	mkdir -p "$build"
	for f in $FRAGMENTS; do
		[ -f "$cfgdir/$f.config" ] || { echo "missing fragment $cfgdir/$f.config" >>"$log"; return 1; }
		frags+=("$cfgdir/$f.config")
	done
	kmake_in "$tree" "$build" -s "$KCONFIG_BASE" >>"$log" 2>&1 || return 1
	if [ "${#frags[@]}" -gt 0 ]; then
		(cd "$tree" && scripts/kconfig/merge_config.sh -m -O "$build" "$build/.config" "${frags[@]}") >>"$log" 2>&1 ||
			return 1
	fi
	kmake_in "$tree" "$build" -s olddefconfig >>"$log" 2>&1 || return 1
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		k=${line%%=*} v=${line#*=}
		got=$(grep -E "^$k=" "$build/.config" || true)
		if [ "$v" = n ]; then
			[ -z "$got" ] && continue
		elif [ "$got" = "$line" ]; then
			continue
		fi
		# "# if-defined: CONFIG_X" in a fragment: X may be missing
		# from the tree's Kconfig (the stack adds it), not misspelt.
		if [ -z "$got" ] && grep -qsx "# if-defined: $k" "${frags[@]}" &&
			! kconfig_defines "$tree" "$k"; then
			echo "config: $line: not in this tree's Kconfig, as allowed" >>"$log"
			continue
		fi
		echo "config: $line did not stick (got: ${got:-unset})" >>"$log"
		bad=1
	done < <([ "${#frags[@]}" = 0 ] || cat "${frags[@]}")
	return "$bad"
}

# stack_options CONFIGDIR: the options the entry's fragments mark
# "# if-defined:" (the stack adds them, e.g. the KUnit suite), one
# CONFIG_X per line.
stack_options() {
	local f
	for f in $FRAGMENTS; do
		sed -n 's/^# if-defined: \(CONFIG_[A-Za-z0-9_]*\)$/\1/p' "$1/$f.config"
	done
}

# stale_options TREE BUILD CONFIGDIR: the options marked "# if-defined:"
# in the entry's fragments that the checked-out tree's Kconfig defines but
# BUILD/.config does not set as asked (the stack added them after the
# config was made); one per line, none when the config is current.
stale_options() {
	local tree=$1 build=$2 cfgdir=$3 f k want
	stack_options "$cfgdir" | while read -r k; do
		want=""
		for f in $FRAGMENTS; do
			want=$(grep -m1 -E "^$k=" "$cfgdir/$f.config" || true)
			[ -z "$want" ] || break
		done
		[ -n "$want" ] || continue
		kconfig_defines "$tree" "$k" || continue
		grep -qx "$want" "$build/.config" || echo "$k"
	done
}
