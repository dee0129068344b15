/// Chat Completions streams as OpenAI documents them (`chat.completion.chunk` objects, tool call
/// deltas keyed by `index`, a final usage chunk with empty `choices`), plus the variants local
/// servers produce.
enum OpenAICompletionsFixtures {
    static let text = """
        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":", world"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":0}}}

        data: [DONE]


        """

    /// Two parallel calls interleaved by index (OpenAI sends `id` and `name` on the first delta).
    static let parallelToolCalls = """
        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"ls","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\":"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"dir\\": \\".\\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \\"a.txt\\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]


        """

    /// llama.cpp/vLLM-style: reasoning in `reasoning_content`, arguments before id and name,
    /// an empty id, no usage, no `[DONE]`, CRLF framing, a keep-alive comment, compact JSON.
    static let localQuirks = ": keep-alive\r\n\r\n"
        + "data:{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Let me think.\"}}]}\r\n\r\n"
        + "data:{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"cmd\\\":\"}}]}}]}\r\n\r\n"
        + "data:{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"function\":{\"name\":\"bash\",\"arguments\":\"\\\"ls\\\"}\"}}]}}]}\r\n\r\n"
        + "data:{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n"

    /// Ollama-style `reasoning` field, CR-only framing.
    static let ollamaReasoning = "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\"}}]}\r\r"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"length\"}]}\r\r"
        + "data: [DONE]\r\r"

    /// An error chunk in the middle of a stream (OpenRouter and vLLM do this).
    static let errorMidStream = """
        data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}

        data: {"error":{"message":"Upstream overloaded, try again","type":"server_error","code":502}}


        """

    static let contextOverflowBody = """
        {"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}
        """

    static let nonStreaming = """
        {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"x\\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
        """
}
