import PieSystem
import Testing

@Suite struct TextPrefixTests {
    @Test func keepsWholeCharactersWithinTheBudget() {
        #expect(TextPrefix.within("abc", bytes: 10) == "abc")
        #expect(TextPrefix.within("abc", bytes: 2) == "ab")
        #expect(TextPrefix.within("ééé", bytes: 5) == "éé")  // 2 bytes each: the third would end at 6
        #expect(TextPrefix.within("a👍🏽b", bytes: 8) == "a")  // the emoji with its modifier is 8 bytes, one character
        #expect(TextPrefix.within("a👍🏽b", bytes: 9) == "a👍🏽")
        #expect(TextPrefix.within("x", bytes: 0) == "")
    }
}
