# Tidies the mdoc that swift-argument-parser's generate-manual writes, so `mandoc -T lint -W
# warning` is clean: each sentence of running text starts a line, a blank line becomes .Pp, and
# a paragraph break where mdoc ignores one (before .It, .El, .Sh, .Ss, another .Pp, or at the
# end) is dropped. Macro lines pass through unchanged.
function flush(next_line) {
    if (pending && next_line !~ /^\.(It|El|Sh|Ss|Pp)( |$)/) print ".Pp"
    pending = 0
}
/^\.Pp$/ { pending = 1; next }
/^$/ { pending = 1; next }
/^\./ { flush($0); print; next }
{
    flush($0)
    line = $0
    # A sentence's end (. ! ? perhaps closed by a bracket or quote) then a capital starts a line.
    while (match(line, /[.!?][)"']* +[A-Z]/)) {
        cut = RSTART + RLENGTH - 1
        head = substr(line, 1, cut - 1)
        sub(/ +$/, "", head)
        print head
        line = substr(line, cut)
    }
    print line
}
END { pending = 0 }
