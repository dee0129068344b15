/// pi's published model descriptors (badlogic/pi-mono, packages/ai/src/models.generated.ts at
/// 83378aad, 2026-03-15): the first model of every provider and wire API pie speaks, with its
/// fields as published, written in pi's models.json form. Facts only: the test swaps each
/// `baseUrl`'s scheme and host for the scripted server's and keeps the path.
enum PiPublishedDescriptors {
    static let modelsJSON = #"""
        {
          "providers": {
            "anthropic": {
              "models": [
                {
                  "id": "claude-3-5-haiku-20241022",
                  "name": "Claude Haiku 3.5",
                  "api": "anthropic-messages",
                  "baseUrl": "https://api.anthropic.com",
                  "reasoning": false,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.8,
                    "output": 4.0,
                    "cacheRead": 0.08,
                    "cacheWrite": 1.0
                  },
                  "contextWindow": 200000,
                  "maxTokens": 8192
                }
              ]
            },
            "cerebras": {
              "models": [
                {
                  "id": "gpt-oss-120b",
                  "name": "GPT OSS 120B",
                  "api": "openai-completions",
                  "baseUrl": "https://api.cerebras.ai/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.25,
                    "output": 0.69,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 131072,
                  "maxTokens": 32768
                }
              ]
            },
            "github-copilot": {
              "models": [
                {
                  "id": "claude-haiku-4.5",
                  "name": "Claude Haiku 4.5",
                  "api": "anthropic-messages",
                  "baseUrl": "https://api.individual.githubcopilot.com",
                  "reasoning": true,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.0,
                    "output": 0.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 128000,
                  "maxTokens": 32000
                },
                {
                  "id": "gemini-2.5-pro",
                  "name": "Gemini 2.5 Pro",
                  "api": "openai-completions",
                  "baseUrl": "https://api.individual.githubcopilot.com",
                  "reasoning": false,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.0,
                    "output": 0.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 128000,
                  "maxTokens": 64000
                },
                {
                  "id": "gpt-5",
                  "name": "GPT-5",
                  "api": "openai-responses",
                  "baseUrl": "https://api.individual.githubcopilot.com",
                  "reasoning": true,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.0,
                    "output": 0.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 128000,
                  "maxTokens": 128000
                }
              ]
            },
            "google": {
              "models": [
                {
                  "id": "gemini-1.5-flash",
                  "name": "Gemini 1.5 Flash",
                  "api": "google-generative-ai",
                  "baseUrl": "https://generativelanguage.googleapis.com/v1beta",
                  "reasoning": false,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.075,
                    "output": 0.3,
                    "cacheRead": 0.01875,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 1000000,
                  "maxTokens": 8192
                }
              ]
            },
            "groq": {
              "models": [
                {
                  "id": "deepseek-r1-distill-llama-70b",
                  "name": "DeepSeek R1 Distill Llama 70B",
                  "api": "openai-completions",
                  "baseUrl": "https://api.groq.com/openai/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.75,
                    "output": 0.99,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 131072,
                  "maxTokens": 8192
                }
              ]
            },
            "huggingface": {
              "models": [
                {
                  "id": "MiniMaxAI/MiniMax-M2.1",
                  "name": "MiniMax-M2.1",
                  "api": "openai-completions",
                  "baseUrl": "https://router.huggingface.co/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.3,
                    "output": 1.2,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 204800,
                  "maxTokens": 131072
                }
              ]
            },
            "kimi-coding": {
              "models": [
                {
                  "id": "k2p5",
                  "name": "Kimi K2.5",
                  "api": "anthropic-messages",
                  "baseUrl": "https://api.kimi.com/coding",
                  "reasoning": true,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.0,
                    "output": 0.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 262144,
                  "maxTokens": 32768
                }
              ]
            },
            "minimax": {
              "models": [
                {
                  "id": "MiniMax-M2",
                  "name": "MiniMax-M2",
                  "api": "anthropic-messages",
                  "baseUrl": "https://api.minimax.io/anthropic",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.3,
                    "output": 1.2,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 196608,
                  "maxTokens": 128000
                }
              ]
            },
            "minimax-cn": {
              "models": [
                {
                  "id": "MiniMax-M2",
                  "name": "MiniMax-M2",
                  "api": "anthropic-messages",
                  "baseUrl": "https://api.minimaxi.com/anthropic",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.3,
                    "output": 1.2,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 196608,
                  "maxTokens": 128000
                }
              ]
            },
            "openai": {
              "models": [
                {
                  "id": "codex-mini-latest",
                  "name": "Codex Mini",
                  "api": "openai-responses",
                  "baseUrl": "https://api.openai.com/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 1.5,
                    "output": 6.0,
                    "cacheRead": 0.375,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 200000,
                  "maxTokens": 100000
                }
              ]
            },
            "opencode": {
              "models": [
                {
                  "id": "big-pickle",
                  "name": "Big Pickle",
                  "api": "anthropic-messages",
                  "baseUrl": "https://opencode.ai/zen",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.0,
                    "output": 0.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 200000,
                  "maxTokens": 128000
                },
                {
                  "id": "gemini-3-flash",
                  "name": "Gemini 3 Flash",
                  "api": "google-generative-ai",
                  "baseUrl": "https://opencode.ai/zen/v1",
                  "reasoning": true,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 0.5,
                    "output": 3.0,
                    "cacheRead": 0.05,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 1048576,
                  "maxTokens": 65536
                },
                {
                  "id": "glm-4.6",
                  "name": "GLM-4.6",
                  "api": "openai-completions",
                  "baseUrl": "https://opencode.ai/zen/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.6,
                    "output": 2.2,
                    "cacheRead": 0.1,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 204800,
                  "maxTokens": 131072
                },
                {
                  "id": "gpt-5",
                  "name": "GPT-5",
                  "api": "openai-responses",
                  "baseUrl": "https://opencode.ai/zen/v1",
                  "reasoning": true,
                  "input": [
                    "text",
                    "image"
                  ],
                  "cost": {
                    "input": 1.07,
                    "output": 8.5,
                    "cacheRead": 0.107,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 400000,
                  "maxTokens": 128000
                }
              ]
            },
            "opencode-go": {
              "models": [
                {
                  "id": "minimax-m2.5",
                  "name": "MiniMax M2.5",
                  "api": "anthropic-messages",
                  "baseUrl": "https://opencode.ai/zen/go",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.3,
                    "output": 1.2,
                    "cacheRead": 0.03,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 204800,
                  "maxTokens": 131072
                },
                {
                  "id": "glm-5",
                  "name": "GLM-5",
                  "api": "openai-completions",
                  "baseUrl": "https://opencode.ai/zen/go/v1",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 1.0,
                    "output": 3.2,
                    "cacheRead": 0.2,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 204800,
                  "maxTokens": 131072
                }
              ]
            },
            "openrouter": {
              "models": [
                {
                  "id": "ai21/jamba-large-1.7",
                  "name": "AI21: Jamba Large 1.7",
                  "api": "openai-completions",
                  "baseUrl": "https://openrouter.ai/api/v1",
                  "reasoning": false,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 2.0,
                    "output": 8.0,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 256000,
                  "maxTokens": 4096
                }
              ]
            },
            "vercel-ai-gateway": {
              "models": [
                {
                  "id": "alibaba/qwen-3-14b",
                  "name": "Qwen3-14B",
                  "api": "anthropic-messages",
                  "baseUrl": "https://ai-gateway.vercel.sh",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.06,
                    "output": 0.24,
                    "cacheRead": 0.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 40960,
                  "maxTokens": 16384
                }
              ]
            },
            "xai": {
              "models": [
                {
                  "id": "grok-2",
                  "name": "Grok 2",
                  "api": "openai-completions",
                  "baseUrl": "https://api.x.ai/v1",
                  "reasoning": false,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 2.0,
                    "output": 10.0,
                    "cacheRead": 2.0,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 131072,
                  "maxTokens": 8192
                }
              ]
            },
            "zai": {
              "models": [
                {
                  "id": "glm-4.5",
                  "name": "GLM-4.5",
                  "api": "openai-completions",
                  "baseUrl": "https://api.z.ai/api/coding/paas/v4",
                  "reasoning": true,
                  "input": [
                    "text"
                  ],
                  "cost": {
                    "input": 0.6,
                    "output": 2.2,
                    "cacheRead": 0.11,
                    "cacheWrite": 0.0
                  },
                  "contextWindow": 131072,
                  "maxTokens": 98304
                }
              ]
            }
          }
        }
        """#
}
