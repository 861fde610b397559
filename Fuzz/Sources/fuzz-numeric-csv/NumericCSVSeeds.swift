import FuzzSupport

/// Files with the columns the target asks for: integers, floats, quoting, CRLF and CR line ends,
/// a byte-order mark, blank lines, a quoted field over two lines.
let numericCSVSeeds = [
    "a,b,y\n1,2,0\n3,4,1\n",
    "a,b,y,z\n1.5,-2e3,0,1\n0.25,7,1,0\n",
    "\u{FEFF}a,b,y\r\n1,2,3\r\n\r\n4,5,6\r\n",
    "a,b,y\r1,2,0\r3,4,1\r",
    "\"a\",\"b\",\"y\"\n\" 1\",\"2\n\",0\n",
    "a, b ,y,z\n  1 , 2 , 3 , 4 \n\n",
    "a,b,y\nnan,inf,-0\n",
].enumerated().map { seed("numeric\($0.offset).csv", $0.element) }
