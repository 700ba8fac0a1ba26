#!/bin/bash
# ci/boot/dtb-edit on a small device tree: a stand-in for QEMU writes it
# where -machine dumpdtb= says, and the script must take out exactly the
# properties asked for, and refuse (exit 2, one line) a property that is
# not there, a malformed NODE:PROPERTY and a QEMU that dumps nothing.
#
#   testing/selftests/dtb-edit.sh
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case and "N passed, N
# failed"; exits non-zero if a case went wrong.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
edit=$root/ci/boot/dtb-edit
for t in dtc fdtget fdtput; do
	command -v "$t" >/dev/null || { echo "dtb-edit.sh: $t missing (package device-tree-compiler)" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dtb-edit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

dtc -q -I dts -O dtb -o "$tmp/virt.dtb" - <<'DTS'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "linux,dummy-virt";
	pcie@10000000 {
		compatible = "pci-host-ecam-generic";
		device_type = "pci";
		dma-coherent;
		reg = <0x40 0x10000000 0x0 0x10000000>;
	};
	smmu@9050000 {
		dma-coherent;
	};
};
DTS

# The stand-in QEMU: copies the tree to the dumpdtb= path, or with
# FAKE_QEMU_FAIL set fails as QEMU does on a bad option.
cat >"$tmp/qemu" <<'SH'
#!/bin/bash
for a in "$@"; do
	case $a in dumpdtb=*) out=${a#dumpdtb=} ;; esac
done
[ -z "${FAKE_QEMU_FAIL:-}" ] || { echo "qemu: -M nope: unsupported machine type" >&2; exit 1; }
cp "$FAKE_DTB" "$out"
SH
chmod +x "$tmp/qemu"
export FAKE_DTB=$tmp/virt.dtb

# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"

# A drop: the property is gone, its neighbours and the other node's stay.
if "$edit" "$tmp/out.dtb" "/pcie@10000000:dma-coherent" "$tmp/qemu" -M virt 2>"$tmp/err" &&
	! fdtget "$tmp/out.dtb" /pcie@10000000 dma-coherent >/dev/null 2>&1 &&
	fdtget "$tmp/out.dtb" /pcie@10000000 device_type >/dev/null &&
	fdtget "$tmp/out.dtb" /smmu@9050000 dma-coherent >/dev/null; then
	st_ok drop-pcie-coherent
else
	st_fail drop-pcie-coherent "$(cat "$tmp/err")"
fi

# refuse NAME EXPECTED-TEXT DROPS: exit 2 and the text on stderr.
refuse() {
	local name=$1 want=$2 drops=$3 rc=0
	"$edit" "$tmp/out.dtb" "$drops" "$tmp/qemu" -M virt 2>"$tmp/err" || rc=$?
	if [ "$rc" = 2 ] && grep -qF "$want" "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ]; then
		st_ok "$name"
	else
		st_fail "$name" "rc=$rc, stderr: $(cat "$tmp/err")"
	fi
}
refuse absent-property "/pcie@10000000 has no property dma-noncoherent" "/pcie@10000000:dma-noncoherent"
refuse absent-node "/pcie@20000000 has no property dma-coherent" "/pcie@20000000:dma-coherent"
refuse malformed "bad NODE:PROPERTY 'dma-coherent'" "dma-coherent"
refuse nothing "nothing to drop" ""
FAKE_QEMU_FAIL=1 refuse qemu-fails "could not dump the machine's DTB: qemu: -M nope" "/pcie@10000000:dma-coherent"

st_done
