/// `no-textrel`: the image does not ask for text relocations.
struct NoTextrelRule: Rule {
    let id = "no-textrel"
    let summary = "No DT_TEXTREL and no DF_TEXTREL in DT_FLAGS."
    let protects = "Text relocations require writing to code that is shared read-only by every process."

    func check(_ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        if c.dynamic.has(DT.textrel) {
            out.append(error("DT_TEXTREL is set: the code needs patching at load time; compile every object with -fPIC and do not link with -z notext"))
        }
        if let flags = c.dynamic.value(DT.flags), flags & DT.dfTextrel != 0 {
            out.append(error("DT_FLAGS has DF_TEXTREL: the code needs patching at load time; compile every object with -fPIC and do not link with -z notext"))
        }
        return out
    }
}
