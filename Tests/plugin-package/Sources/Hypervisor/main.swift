// What a hypervisor or emulator written in Swift needs of its guest vDSO: the bytes to map, where
// the data pages go, and where each entry point is. All of it comes from the plugin-generated
// `VDSOImage`.
func fail(_ message: String) -> Never {
    print("not ok - \(message)")
    fatalError(message)
}

let image = VDSOImage.bytes
guard image.count == VDSOImage.mappedSize, VDSOImage.mappedSize % VDSOImage.pageSize == 0 else {
    fail("the image is \(image.count) bytes, mapped size \(VDSOImage.mappedSize)")
}
guard Array(image.prefix(4)) == [0x7f, 0x45, 0x4c, 0x46], VDSOImage.elfClass == 64, VDSOImage.elfMachine == 62 else {
    fail("not an x86-64 ELF image")
}
guard VDSOImage.dataOffset == -VDSOImage.pageSize else { fail("data offset \(String(describing: VDSOImage.dataOffset))") }
// The data area reaches down to the lowest data page: linker-scripts/x86_64.lds lays out the rng
// page two pages below the image (found in the debug image's symbol table although this manifest
// names no extra symbols and builds no getrandom).
let areaExpected = -2 * VDSOImage.pageSize
guard VDSOImage.dataAreaOffset == areaExpected else { fail("data area at \(String(describing: VDSOImage.dataAreaOffset)), not \(areaExpected)") }
guard let cgt = VDSOImage.symbols["__vdso_clock_gettime"], cgt > 0, cgt < VDSOImage.fileSize,
      VDSOImage.symbols["clock_gettime"] == cgt else {
    fail("no __vdso_clock_gettime offset")
}
guard VDSOImage.buildID.count == 20 else { fail("build-id of \(VDSOImage.buildID.count) bytes") }
print("ok - VDSOImage: \(image.count) bytes, data at \(VDSOImage.dataOffset!), __vdso_clock_gettime at 0x\(String(cgt, radix: 16)), \(VDSOImage.symbols.count) symbols")
